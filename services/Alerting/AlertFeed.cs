using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Toxicity.Alerting.Service;

/// <summary>
/// What clinicians' screens receive, in event-log order, each entry numbered by its offset in the log: the offset is
/// the SSE event id, so a screen that reconnects with <c>Last-Event-ID</c> gets exactly what it missed, also across a
/// restart of the service (the feed is folded again from the log, or restored with a snapshot of the fold). Payloads
/// are serialized once, when appended, and shared by every subscriber.
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
    private TaskCompletionSource _appended = NewSignal();

    /// <summary>Appends <paramref name="payload"/>, read at <paramref name="offset"/> of the event log (offsets only grow).</summary>
    public void Append<T>(long offset, string eventType, string patientId, string? ward, T payload)
    {
        TaskCompletionSource appended;
        lock (_gate)
        {
            if (_entries.Count > 0 && offset <= _entries[^1].Offset)
            {
                return;
            }

            _entries.Add(new FeedEntry(offset, eventType, patientId, ward, JsonSerializer.Serialize(payload, Json)));
            appended = _appended;
            _appended = NewSignal();
        }

        appended.SetResult();
    }

    /// <summary>Every entry, in order, as a snapshot of the fold keeps them.</summary>
    public IReadOnlyList<FeedEntry> Save()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    /// <summary>The entries <see cref="Save"/> kept, in place of any (a screen waiting for more is woken).</summary>
    public void Restore(IReadOnlyList<FeedEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        TaskCompletionSource appended;
        lock (_gate)
        {
            _entries.Clear();
            _entries.AddRange(entries);
            appended = _appended;
            _appended = NewSignal();
        }

        appended.SetResult();
    }

    /// <summary>Forgets every entry (before the log is folded again from its first one).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    public IReadOnlyList<T> Payloads<T>(string eventType, string? patientId, string? ward)
    {
        lock (_gate)
        {
            return [.. _entries
                .Where(e => e.EventType == eventType && e.Matches(patientId, ward))
                .Select(e => JsonSerializer.Deserialize<T>(e.Json, Json)!)];
        }
    }

    /// <summary>The entries after offset <paramref name="after"/>, then every new one as it is appended, with heartbeats in between.</summary>
    public async IAsyncEnumerable<SseItem<string>> SubscribeAsync(
        long after,
        string? patientId,
        string? ward,
        [EnumeratorCancellation] CancellationToken requestAborted,
        CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        var cancellationToken = linked.Token;
        var last = after;
        // At once, so that the response starts (headers and all) even when nothing is there to replay yet.
        yield return new SseItem<string>("{}", "heartbeat") { ReconnectionInterval = Reconnect };
        while (!cancellationToken.IsCancellationRequested)
        {
            FeedEntry[] batch;
            Task appended;
            lock (_gate)
            {
                batch = [.. _entries.Skip(FirstAfter(last))];
                appended = _appended.Task;
            }

            foreach (var entry in batch)
            {
                last = entry.Offset;
                if (entry.Matches(patientId, ward))
                {
                    yield return new SseItem<string>(entry.Json, entry.EventType)
                    {
                        EventId = entry.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
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

    /// <summary>The index of the first entry with an offset above <paramref name="offset"/> (binary search; offsets only grow).</summary>
    private int FirstAfter(long offset)
    {
        int low = 0, high = _entries.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_entries[middle].Offset <= offset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}

/// <summary>An entry of the <see cref="AlertFeed"/>: its event-log offset (the SSE id), its SSE event type, whose and which ward's it is, its JSON.</summary>
internal sealed record FeedEntry(long Offset, string EventType, string PatientId, string? Ward, string Json)
{
    public bool Matches(string? patientId, string? ward) =>
        (patientId is null || PatientId == patientId) && (ward is null || Ward == ward);
}
