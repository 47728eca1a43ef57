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
    private readonly HttpResponseMessage _response;

    private SseReader(HttpResponseMessage response, Stream stream)
    {
        _response = response;
        _reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(_stop.Token))
                {
                    await _items.Writer.WriteAsync(item, _stop.Token);
                }
            }
            catch (Exception error)
            {
                // Disposed, or the server went away (a test may kill it): a waiting NextAsync sees the end.
                _items.Writer.TryComplete(_stop.IsCancellationRequested ? null : error);
                return;
            }

            _items.Writer.TryComplete();
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
        return new SseReader(response, await response.Content.ReadAsStreamAsync());
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
        catch (ChannelClosedException closed)
        {
            throw new InvalidOperationException($"the stream ended before a '{eventType}' event", closed.InnerException);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // A read waiting for the server's next event (a heartbeat can be 15 s away) ends when the response goes.
        _response.Dispose();
#pragma warning disable VSTHRD003 // the reading task was started by this instance's constructor
        await _reading;
#pragma warning restore VSTHRD003
        _stop.Dispose();
    }
}
