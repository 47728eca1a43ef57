using System.Net.ServerSentEvents;
using System.Threading.Channels;

namespace Toxicity.Testing;

/// <summary>
/// Reads a Server-Sent Events stream in the background into a queue, so a test can open the stream, act, and
/// then wait (with a deadline) for the event it expects.
/// </summary>
public sealed class SseReader : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseItem<string>> _items = Channel.CreateUnbounded<SseItem<string>>();
    private readonly Task _reading;
    private readonly List<SseItem<string>> _unclaimed = [];

    private SseReader(Stream stream)
    {
        _reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(_stop.Token))
                {
                    await _items.Writer.WriteAsync(item, _stop.Token);
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                // disposed
            }
            finally
            {
                _items.Writer.TryComplete();
            }
        });
    }

    /// <summary>Opens <paramref name="path"/> as an event stream, resuming after <paramref name="lastEventId"/> when given.</summary>
    public static async Task<SseReader> OpenAsync(HttpClient http, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new SseReader(await response.Content.ReadAsStreamAsync());
    }

    /// <summary>
    /// The first event of type <paramref name="eventType"/> not taken yet; events of other types stay for later
    /// calls, so the order of independent events does not matter. Fails at the deadline.
    /// </summary>
    public async Task<SseItem<string>> NextAsync(string eventType, TimeSpan deadline)
    {
        var index = _unclaimed.FindIndex(i => i.EventType == eventType);
        if (index >= 0)
        {
            var found = _unclaimed[index];
            _unclaimed.RemoveAt(index);
            return found;
        }

        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            while (true)
            {
                var item = await _items.Reader.ReadAsync(timeout.Token);
                if (item.EventType == eventType)
                {
                    return item;
                }

                _unclaimed.Add(item);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no '{eventType}' event on the stream within {deadline.TotalSeconds} s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
#pragma warning disable VSTHRD003 // the reading task was started by this instance's constructor
        await _reading;
#pragma warning restore VSTHRD003
        _stop.Dispose();
    }
}
