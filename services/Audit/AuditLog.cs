using Microsoft.Extensions.Options;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service;

/// <summary>
/// Folds the event log, entry by entry in log order (markers and foreign entries included), into the
/// <see cref="AuditStore"/>: each entry's signature status and chain hash, its exact body and, for an event, its index
/// fields. Resumes after the last stored entry; entries are committed in batches (at 500, or every 100 ms), and what was
/// not committed when the process died is read from the stream again.
/// </summary>
internal sealed class AuditLog : IEventLogSink, IDisposable
{
    private const int BatchSize = 500;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly AuditStore _store;
    private readonly IReadOnlyDictionary<string, byte[]> _keys;
    private readonly Lock _gate = new();
    private readonly List<StoredEntry> _batch = new(BatchSize);
    private readonly Timer _flush;
    private byte[] _head;
    private long _stored;
    private long _chained;

    public AuditLog(AuditStore store, IOptions<AuditOptions> options)
    {
        _store = store;
        _keys = options.Value.Keys();
        (_stored, _head) = store.Last();
        ResumeAfter = _chained = _stored;
        _flush = new Timer(_ => FlushQuietly(), null, FlushInterval, FlushInterval);
    }

    public long ResumeAfter { get; }

    /// <summary>The offset of the last entry committed to the store (-1 before any).</summary>
    public long Stored => Interlocked.Read(ref _stored);

    public IReadOnlyDictionary<string, byte[]> Keys => _keys;

    public ValueTask OnEventAsync(LoggedEvent entry, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnEntryAsync(LogEntry entry, CancellationToken cancellationToken)
    {
        var status = AuditChain.Status(entry, _keys);
        lock (_gate)
        {
            // Read again after a failed commit made the follower reconnect: it is already chained and buffered.
            if (entry.Offset <= _chained)
            {
                return ValueTask.CompletedTask;
            }

            _chained = entry.Offset;
            _head = AuditChain.Next(_head, entry.Offset, status, entry.Body.Span);
            var e = entry.Event?.Event;
            _batch.Add(new StoredEntry(entry.Offset, entry.IsMarker ? "marker" : e is null ? "other" : "event", entry.Event?.Type, e?.EventId, e?.PatientId,
                e?.ObservedAt, entry.KeyId, status, _head, entry.Body.ToArray(), Compact(entry.Event?.Message)));
            if (_batch.Count >= BatchSize)
            {
                FlushLocked();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Commits what is buffered.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            FlushLocked();
        }
    }

    public void Dispose()
    {
        _flush.Dispose();
        Flush();
    }

    /// <summary>The event on one line (envelopes may be indented): an NDJSON line holds it as it is.</summary>
    private static string? Compact(System.Text.Json.JsonElement? message) => message is { } m ? System.Text.Json.JsonSerializer.Serialize(m) : null;

    private void FlushQuietly()
    {
        try
        {
            Flush();
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // The batch stays buffered: the next flush (or the next entry) tries again, and fails the follower if it must.
        }
    }

    private void FlushLocked()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        _store.Append(_batch);
        Interlocked.Exchange(ref _stored, _batch[^1].Offset);
        _batch.Clear();
    }
}
