using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Toxicity.Faults.Tests;

/// <summary>
/// A clinician's screen on Alerting's SSE stream for the whole run: when the stream breaks (Alerting killed, restarted)
/// it reconnects with the Last-Event-ID of the last event it saw, as a browser's EventSource does, and records every
/// <c>alert</c> event it is given, copies included.
/// </summary>
internal sealed class AlertScreen : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<JsonElement> _alerts = [];
    private readonly Task _watching;
    private string? _lastEventId;
    private int _connections;

    public AlertScreen(HttpClient http)
    {
        _http = http;
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _watching = Task.Run(WatchAsync);
    }

    public IReadOnlyList<JsonElement> Alerts
    {
        get
        {
            lock (_gate)
            {
                return [.. _alerts];
            }
        }
    }

    /// <summary>How often the stream was opened (1 + the reconnections).</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
#pragma warning disable VSTHRD003 // the watching task was started by this instance's constructor
        await _watching;
#pragma warning restore VSTHRD003
        _stop.Dispose();
    }

    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/alerts/stream");
                request.Headers.Accept.ParseAdd("text/event-stream");
                if (_lastEventId is not null)
                {
                    request.Headers.Add("Last-Event-ID", _lastEventId);
                }

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref _connections);
                await using var stream = await response.Content.ReadAsStreamAsync(_stop.Token);
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(_stop.Token))
                {
                    if (item.EventType == "alert")
                    {
                        lock (_gate)
                        {
                            _alerts.Add(JsonDocument.Parse(item.Data).RootElement.Clone());
                        }
                    }

                    if (!string.IsNullOrEmpty(item.EventId))
                    {
                        _lastEventId = item.EventId;
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is HttpRequestException or IOException or OperationCanceledException)
            {
                // Alerting went away (killed, restarting): reconnect, as EventSource does.
            }

            try
            {
                await Task.Delay(300, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
