using System.Net;
using System.Text.Json;

namespace Toxicity.Testing;

/// <summary>One request a <see cref="WebhookReceiver"/> received: the Standard Webhooks headers, the exact body bytes, when.</summary>
public sealed record ReceivedWebhook(string? Id, string? Timestamp, string? Signature, byte[] Body, DateTimeOffset At, string? Authorization = null)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Type => Json.GetProperty("type").GetString();
}

/// <summary>
/// A webhook subscriber for tests: a real HTTP listener on 127.0.0.1 that records every request and answers with the
/// status <c>respond</c> gives for it (null: never answers, until disposed, like a hung pager). Requests are handled
/// concurrently, so a hanging one does not hold the others.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<ReceivedWebhook, int?> _respond;
    private readonly Lock _gate = new();
    private readonly List<ReceivedWebhook> _received = [];
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private int _answered;

    private WebhookReceiver(Func<ReceivedWebhook, int?> respond)
    {
        _respond = respond;
        var port = FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{port}/hook/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    /// <summary>Requests answered so far (a hanging receiver answers none).</summary>
    public int Answered => Volatile.Read(ref _answered);

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    public static WebhookReceiver Start(Func<ReceivedWebhook, int?> respond) => new(respond);

    /// <summary>A fresh Standard Webhooks secret: <c>whsec_</c> + base64 of 32 random bytes.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Waits for the first request matching <paramref name="match"/>.</summary>
    public Task<ReceivedWebhook> NextAsync(Func<ReceivedWebhook, bool> match, TimeSpan deadline, string what) =>
        Eventually.That(() => Task.FromResult(Received.FirstOrDefault(match)), r => r is not null, deadline, what)!;

    public async ValueTask DisposeAsync()
    {
        _released.TrySetResult();
        // Close alone (it stops too): Stop then Close removed the prefix twice, and the second removal binds the port
        // again on Linux's managed listener, which fails with "Address already in use" once another test holds it.
        _listener.Close();
#pragma warning disable VSTHRD003 // the accept loop was started by this instance
        await _loop;
#pragma warning restore VSTHRD003
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers;
            var received = new ReceivedWebhook(headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], body.ToArray(), DateTimeOffset.UtcNow,
                headers["Authorization"]);
            lock (_gate)
            {
                _received.Add(received);
            }

            if (_respond(received) is not { } status)
            {
#pragma warning disable VSTHRD003 // this instance owns the signal; it is set on disposal
                await _released.Task;
#pragma warning restore VSTHRD003
                context.Response.Abort();
                return;
            }

            context.Response.StatusCode = status;
            context.Response.Close();
            Interlocked.Increment(ref _answered);
        }
        catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The sender gave up on this request (its timeout) or the receiver is stopping.
        }
    }
}
