using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Toxicity.Alerting.Service;

/// <summary>
/// What clinicians' screens receive, in the order it happened, each entry numbered from 1: the number is the
/// SSE event id, so a screen that reconnects with <c>Last-Event-ID</c> gets exactly what it missed. Payloads are
/// serialized once, when appended, and shared by every subscriber. In memory for the walking skeleton; the
/// restore from the event log after a restart is issue 8.
/// </summary>
internal sealed class AlertFeed
{
    // Proxies and load balancers close idle connections; a heartbeat within 15-30 s keeps the stream open.
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);
    // Relaxed escaping keeps '§' and quotes readable on the stream; the data is JSON for a script, never HTML.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _gate = new();
    private readonly List<FeedEntry> _entries = [];
    private readonly HashSet<Guid> _ids = [];
    private TaskCompletionSource _appended = NewSignal();

    /// <summary>Appends <paramref name="payload"/> unless an entry with <paramref name="id"/> is already in the feed.</summary>
    public void Append<T>(Guid id, string eventType, string patientId, T payload)
    {
        TaskCompletionSource appended;
        lock (_gate)
        {
            if (!_ids.Add(id))
            {
                return;
            }

            _entries.Add(new FeedEntry(_entries.Count + 1, eventType, patientId, JsonSerializer.Serialize(payload, Json)));
            appended = _appended;
            _appended = NewSignal();
        }

        appended.SetResult();
    }

    public IReadOnlyList<T> Payloads<T>(string eventType, string? patientId)
    {
        lock (_gate)
        {
            return [.. _entries
                .Where(e => e.EventType == eventType && (patientId is null || e.PatientId == patientId))
                .Select(e => JsonSerializer.Deserialize<T>(e.Json, Json)!)];
        }
    }

    /// <summary>The entries after <paramref name="after"/>, then every new one as it is appended, with heartbeats in between.</summary>
    public async IAsyncEnumerable<SseItem<string>> SubscribeAsync(
        long after,
        string? patientId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = (int)Math.Max(after, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            FeedEntry[] batch;
            Task appended;
            lock (_gate)
            {
                batch = next < _entries.Count ? [.. _entries.Skip(next)] : [];
                appended = _appended.Task;
            }

            foreach (var entry in batch)
            {
                next = (int)entry.Sequence;
                if (patientId is null || entry.PatientId == patientId)
                {
                    yield return new SseItem<string>(entry.Json, entry.EventType)
                    {
                        EventId = entry.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ReconnectionInterval = Reconnect,
                    };
                }
            }

            if (batch.Length > 0)
            {
                continue;
            }

            var woke = await Task.WhenAny(appended, Task.Delay(Heartbeat, cancellationToken));
            if (woke != appended && !cancellationToken.IsCancellationRequested)
            {
                yield return new SseItem<string>("{}", "heartbeat");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record FeedEntry(long Sequence, string EventType, string PatientId, string Json);
}
