using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>
/// One event read from the event log: its offset in the stream, its wire type (<c>Toxicity.Contracts.V1:VitalSignsRecorded</c>),
/// the event as its contract type, and the <c>message</c> of the MassTransit envelope exactly as published (its bytes;
/// <see cref="Message"/> parses them when asked: most sinks never do).
/// </summary>
public sealed record LoggedEvent(long Offset, string Type, IPatientEvent Event, ReadOnlyMemory<byte> MessageJson)
{
    /// <summary>The <c>message</c> of the envelope as a JSON element (parsed at each call).</summary>
    public JsonElement Message
    {
        get
        {
            using var document = JsonDocument.Parse(MessageJson);
            return document.RootElement.Clone();
        }
    }
}

/// <summary>
/// What a service folds the event log into (a state, an index). The <see cref="EventLogFollower"/> calls it once per
/// event, in log order, never twice for one offset and never concurrently, so a sink needs no locking of its own
/// against the follower.
/// </summary>
public interface IEventLogSink
{
    /// <summary>
    /// Where to start: the follower reads the entries after this offset (-1, the default: from the first). A sink that
    /// keeps its own durable state (Audit) resumes after the last entry it stored.
    /// </summary>
    long ResumeAfter => -1;

    /// <summary>Takes the next event of the log. An exception makes the follower read this entry again after a reconnect.</summary>
    ValueTask OnEventAsync(LoggedEvent entry, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the next entry of the log, whatever it is (an event, a sync marker, something that is not a Toxicity
    /// event), with its exact body and signature headers; by default passes the events to <see cref="OnEventAsync"/>.
    /// </summary>
    ValueTask OnEntryAsync(LogEntry entry, CancellationToken cancellationToken) =>
        entry.Event is { } loggedEvent ? OnEventAsync(loggedEvent, cancellationToken) : ValueTask.CompletedTask;
}

/// <summary>
/// One entry of the event log as stored: its offset, its exact body (valid only during the call: copy what you keep),
/// whether it is a sync marker, the signature headers (<see cref="EventSignatures"/>), and the event read from it when
/// it is a Toxicity event.
/// </summary>
public sealed record LogEntry(long Offset, ReadOnlyMemory<byte> Body, bool IsMarker, string? KeyId, string? Signature, LoggedEvent? Event);

/// <summary>
/// Follows the event-log stream from its first offset (DESIGN.md "Messaging": the log is what a service rebuilds its
/// state from), passing every Toxicity event to the <see cref="IEventLogSink"/> in order. Reads with RabbitMQ.Client,
/// acks every delivery (streams refuse autoAck) and, after any error, reconnects from the offset after the last one
/// handled. <see cref="SyncAsync"/> tells a caller when everything published before it has reached the sink; the
/// readiness check is Healthy only once the log has been read up to start-up (the service is rebuilt) and while connected.
/// </summary>
public sealed partial class EventLogFollower(
    IEventLogSink sink,
    MessagingOptions options,
    ILogger<EventLogFollower> logger,
    EffectLedger? ledger = null,
    SnapshotStore? snapshots = null,
    SnapshotOptions? snapshotOptions = null,
    TimeProvider? clock = null) : BackgroundService, IHealthCheck
{
    /// <summary>The AMQP header that carries a sync marker's id.</summary>
    public const string MarkerHeader = "x-toxicity-marker";

    /// <summary>The AMQP <c>type</c> property of a sync marker.</summary>
    public const string MarkerType = "toxicity.log-marker";

    private const string MessageUrnPrefix = "urn:message:";
    private const ushort Prefetch = 1000;
    private const int AckEvery = Prefetch / 4;
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);
    // How long a stream that stops short of a resume point stays silent before it is taken to be shorter.
    private static readonly TimeSpan ProbeQuiet = TimeSpan.FromMilliseconds(500);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Held while an entry is handled: a delivery still in flight on a closed connection never overlaps the next one's.
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _markers = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _rebuiltOnce = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _publisherGate = new();
    private TaskCompletionSource<IChannel> _publisher = NewPublisher();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Channel<Snapshot> _snapshotWrites = Channel.CreateBounded<Snapshot>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private long _lastOffset = -1;
    private string? _rebuildMarker;
    private volatile bool _resetRequested;
    // A restored snapshot's offset and the hash of that entry, until the stream shows it is the same log.
    private (long Offset, byte[] Hash)? _unverified;
    private long _sinceSnapshot;
    private DateTimeOffset _lastSnapshotAt;
    private volatile bool _connected;
    private volatile bool _rebuilt;
    private bool _readAny;

    /// <summary>The log this follower reads, as snapshots name it: the broker's host, port and virtual host.</summary>
    public string LogIdentity => Identity(options);

    /// <summary>The log a service with <paramref name="messaging"/> reads, as its snapshots name it.</summary>
    public static string Identity(MessagingOptions messaging)
    {
        ArgumentNullException.ThrowIfNull(messaging);
        return $"{messaging.BrokerUri.Host}:{messaging.BrokerUri.Port}{messaging.BrokerUri.AbsolutePath}";
    }

    /// <summary>The offset the fold was restored at from a snapshot (null: folded from the first entry).</summary>
    public long? RestoredAt { get; private set; }

    /// <summary>The offset of the last entry handled (an event, a marker or a skipped entry); -1 before the first.</summary>
    public long LastOffset => Interlocked.Read(ref _lastOffset);

    /// <summary>Completes once the log has been read up to start-up: the sink holds everything published before the service started.</summary>
    public async Task WaitUntilRebuiltAsync(CancellationToken cancellationToken)
    {
        // Completed by RebuildAsync with RunContinuationsAsynchronously: no caller's context is captured.
        var rebuilt = _rebuiltOnce.Task;
        await rebuilt.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Completes once every event published to the log before this call has been passed to the sink: publishes a
    /// marker into the stream (publisher confirms on) and waits until the follower reads it. Safe to call concurrently.
    /// </summary>
    public Task SyncAsync(CancellationToken cancellationToken) => SyncMarkerAsync(Guid.NewGuid().ToString("N"), cancellationToken);

    private async Task SyncMarkerAsync(string id, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _markers[id] = seen;
        try
        {
            await PublishMarkerAsync(id, cancellationToken);
            await seen.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _markers.TryRemove(id, out _);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            !_rebuilt ? HealthCheckResult.Unhealthy("event log not read up to start-up yet")
            : !_connected ? HealthCheckResult.Unhealthy("not following the event log")
            : HealthCheckResult.Healthy());

    public override void Dispose()
    {
        _reading.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Interlocked.Exchange(ref _lastOffset, Restore() ?? sink.ResumeAfter);
        _lastSnapshotAt = _clock.GetUtcNow();
        return Task.WhenAll(FollowAsync(stoppingToken), RebuildAsync(stoppingToken), WriteSnapshotsAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // A last snapshot of what was folded, so that the next start has little to read again.
        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (Interlocked.Read(ref _sinceSnapshot) > 0 && _rebuilt && _lastBodyLength >= 0)
            {
                TakeSnapshot(LastOffset, LastBody);
            }
        }
        finally
        {
            _reading.Release();
        }

        await base.StopAsync(cancellationToken);
        if (snapshots is not null)
        {
            while (_snapshotWrites.Reader.TryRead(out var last))
            {
                Write(last);
            }
        }
    }

    /// <summary>
    /// Restores the latest usable snapshot of this log into the sink and the ledger; the offset to follow from, or null
    /// to fold from the first entry (no snapshot, another version, a damaged one: logged, the sink cleared).
    /// </summary>
    private long? Restore()
    {
        if (sink is not ISnapshotSink snapshotSink || snapshots is null)
        {
            return null;
        }

        var snapshot = snapshots.Latest(LogIdentity, out var damaged);
        if (damaged is not null)
        {
            LogSnapshotDamaged(logger, damaged);
        }

        if (snapshot is null)
        {
            return null;
        }

        if (snapshot.Version != snapshotSink.SnapshotVersion)
        {
            LogSnapshotVersion(logger, snapshot.Version, snapshotSink.SnapshotVersion);
            return null;
        }

        try
        {
            snapshotSink.RestoreSnapshot(snapshot.Sink);
            if (snapshot.Ledger is { } saved)
            {
                ledger?.Restore(saved);
            }
        }
        catch (Exception error) when (error is JsonException or InvalidDataException or InvalidOperationException or KeyNotFoundException or ArgumentException or NotSupportedException)
        {
            LogSnapshotDamaged(logger, $"the snapshot at offset {snapshot.Offset} cannot be restored: {error.GetType().Name}: {error.Message}");
            snapshotSink.Clear();
            ledger?.Clear();
            return null;
        }

        _unverified = (snapshot.Offset, snapshot.EntryHash);
        RestoredAt = snapshot.Offset;
        LogRestored(logger, snapshot.Offset);
        return snapshot.Offset;
    }

    private async Task RebuildAsync(CancellationToken stoppingToken)
    {
        string marker;
        do
        {
            _resetRequested = false;
            marker = Guid.NewGuid().ToString("N");
            Volatile.Write(ref _rebuildMarker, marker);
            await SyncMarkerAsync(marker, stoppingToken);
        }
        while (_resetRequested); // the snapshot was of another log: folded again from the first entry, then synced again
        _rebuilt = true;
        _rebuiltOnce.TrySetResult();
        LogRebuilt(logger, LastOffset);
    }

    private async Task FollowAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await ReadAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogReconnect(logger, error.GetType().Name, LastOffset);
            }
            finally
            {
                _connected = false;
                lock (_publisherGate)
                {
                    if (_publisher.Task.IsCompleted)
                    {
                        _publisher = NewPublisher();
                    }
                }
            }

            await Task.Delay(ReconnectDelay, stoppingToken);
        }
    }

    private async Task ReadAsync(CancellationToken stoppingToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = options.BrokerUri,
            ClientProvidedName = $"{options.ServiceName}-event-log-follower",
            // Recovery would re-register the consumer at its first offset; this loop reconnects from the last one instead.
            AutomaticRecoveryEnabled = false,
        };
        await using var connection = await factory.CreateConnectionAsync(stoppingToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await using var publisher = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), stoppingToken);

        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionShutdownAsync += (_, args) => Closed(closed, $"event-log connection closed: {args.ReplyCode}");
        channel.ChannelShutdownAsync += (_, args) => Closed(closed, $"event-log channel closed: {args.ReplyCode}");

        // Declared as every service declares it (EventLogTopology), so the follower can start before anything is published.
        await channel.QueueDeclareAsync(EventLog.StreamName, durable: true, exclusive: false, autoDelete: false,
            arguments: EventLog.StreamArguments(), cancellationToken: stoppingToken);
        await channel.BasicQosAsync(0, Prefetch, global: false, stoppingToken);

        var failed = false;
        var unacknowledged = 0;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await _reading.WaitAsync(stoppingToken);
            try
            {
                // After a failure the rest of this connection's deliveries wait for the reconnect, which reads them again.
                if (failed)
                {
                    return;
                }

                await HandleAsync(delivery, stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                failed = true;
                closed.TrySetException(error);
                return;
            }
            finally
            {
                _reading.Release();
            }

            // Acknowledged in batches (a stream's acknowledgements are credit, not removal): a round trip per entry
            // would bound a rebuild to the broker's latency.
            if (++unacknowledged >= AckEvery)
            {
                unacknowledged = 0;
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: true, stoppingToken);
            }
        };

        // After the last entry handled. Before the first: from a restored snapshot's own entry (that it is the same entry
        // shows the stream is the same log), or after the last entry a resuming sink (Audit) stored, so that the start does
        // not grow with the age of the log; either only if the stream reaches that far, else from the first entry (a
        // stream replaced by a shorter one: a reader past its end waits for that offset, and this follower's markers lie
        // before it); from the first entry when nothing was restored.
        var lastOffset = LastOffset;
        var (needed, from) = _unverified is { } restored ? (restored.Offset, restored.Offset) : (lastOffset, lastOffset + 1);
        object start = Volatile.Read(ref _readAny) ? lastOffset + 1
            : needed >= 0 && await ReachesAsync(connection, needed, stoppingToken) ? from
            : "first";
        await channel.BasicConsumeAsync(EventLog.StreamName, autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: false,
            arguments: new Dictionary<string, object?> { ["x-stream-offset"] = start }, consumer, stoppingToken);
        _connected = true;
        lock (_publisherGate)
        {
            _publisher.TrySetResult(publisher);
        }

        LogReading(logger, EventLog.StreamName, start);
        await closed.Task.WaitAsync(stoppingToken);
    }

    /// <summary>
    /// Whether the stream holds an entry at <paramref name="offset"/> or after it: reads its last chunk (the broker's
    /// <c>last</c>) until an entry that far comes, or nothing more comes for a moment (a shorter or empty stream).
    /// </summary>
    private static async Task<bool> ReachesAsync(IConnection connection, long offset, CancellationToken cancellationToken)
    {
        // Disposed after the channel (declared before it), so that no delivery meets a disposed timer.
        using var quiet = new CancellationTokenSource(ProbeQuiet);
        await using var probe = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await probe.BasicQosAsync(0, Prefetch, global: false, cancellationToken);
        var reached = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(probe);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            quiet.CancelAfter(ProbeQuiet);
            if (Offset(delivery.BasicProperties) >= offset)
            {
                reached.TrySetResult(true);
                return;
            }

            await probe.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
        };
        using var silence = quiet.Token.Register(() => reached.TrySetResult(false));
        await probe.BasicConsumeAsync(EventLog.StreamName, autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: false,
            arguments: new Dictionary<string, object?> { ["x-stream-offset"] = "last" }, consumer, cancellationToken);
        return await reached.Task.WaitAsync(cancellationToken);
    }

    private Task Closed(TaskCompletionSource closed, string reason)
    {
        // Unready at once, not only when the loop gets to reconnect: an entry may still be in the sink.
        _connected = false;
        closed.TrySetException(new InvalidOperationException(reason));
        return Task.CompletedTask;
    }

    private async Task HandleAsync(BasicDeliverEventArgs delivery, CancellationToken cancellationToken)
    {
        var offset = Offset(delivery.BasicProperties);
        // A marker of this follower's is seen even at an offset it has passed: only a stream replaced under a sink that
        // resumes (Audit) puts one there, and a sync must still end for the replacement to be reported.
        if (_unverified is { } restored && (offset >= restored.Offset || IsRebuildMarker(delivery.BasicProperties)))
        {
            if (offset > restored.Offset || (offset == restored.Offset && SHA256.HashData(delivery.Body.Span).AsSpan().SequenceEqual(restored.Hash)))
            {
                _unverified = null; // the same log (or its entry is gone by retention)
            }
            else
            {
                // Not the log the snapshot was folded from (replaced, refilled): fold it again from the first entry.
                LogSnapshotOfAnotherLog(logger, restored.Offset);
                ((ISnapshotSink)sink).Clear();
                ledger?.Clear();
                snapshots?.Clear(LogIdentity);
                _unverified = null;
                RestoredAt = null;
                Interlocked.Exchange(ref _lastOffset, -1);
                Volatile.Write(ref _readAny, false);
                _resetRequested = IsRebuildMarker(delivery.BasicProperties);
                if (MarkerId(delivery.BasicProperties) is { } resetMarker && _markers.TryGetValue(resetMarker, out var waiting))
                {
                    waiting.TrySetResult();
                }

                throw new InvalidOperationException("the snapshot is of another log: following again from the first entry");
            }
        }

        if (MarkerId(delivery.BasicProperties) is { } marker && _markers.TryGetValue(marker, out var seen))
        {
            if (marker == Volatile.Read(ref _rebuildMarker))
            {
                // In fold order: everything before this marker was a replay of causes handled before.
                ledger?.CaughtUp();
            }

            seen.TrySetResult();
        }

        Volatile.Write(ref _readAny, true);
        // A stream delivers from the start of the chunk that holds the requested offset: skip what was handled.
        if (offset <= LastOffset)
        {
            return;
        }

        var entry = Entry(offset, delivery.Body, delivery.BasicProperties);

        if (!entry.IsMarker && entry.Event is null)
        {
            LogSkipped(logger, offset);
        }

        await sink.OnEntryAsync(entry, cancellationToken);
        Interlocked.Exchange(ref _lastOffset, offset);
        KeepLastBody(delivery.Body.Span);
        if (snapshots is not null && snapshotOptions is { Enabled: true } every
            && (Interlocked.Increment(ref _sinceSnapshot) >= every.EveryEntries || _clock.GetUtcNow() - _lastSnapshotAt >= every.Interval))
        {
            TakeSnapshot(offset, delivery.Body.Span);
        }
    }

    // The last entry's body, in a buffer reused from entry to entry (for the snapshot taken at a stop).
    private byte[] _lastBodyBuffer = [];
    private int _lastBodyLength = -1;

    private ReadOnlySpan<byte> LastBody => _lastBodyBuffer.AsSpan(0, Math.Max(0, _lastBodyLength));

    private void KeepLastBody(ReadOnlySpan<byte> body)
    {
        if (snapshots is null)
        {
            return;
        }

        if (_lastBodyBuffer.Length < body.Length)
        {
            _lastBodyBuffer = new byte[Math.Max(body.Length, _lastBodyBuffer.Length * 2)];
        }

        body.CopyTo(_lastBodyBuffer);
        _lastBodyLength = body.Length;
    }

    private bool IsRebuildMarker(IReadOnlyBasicProperties properties) =>
        MarkerId(properties) is { } marker && marker == Volatile.Read(ref _rebuildMarker);

    /// <summary>Saves the sink's fold as of <paramref name="offset"/> (between entries: nothing folds meanwhile); written in the background.</summary>
    private void TakeSnapshot(long offset, ReadOnlySpan<byte> body)
    {
        Interlocked.Exchange(ref _sinceSnapshot, 0);
        _lastSnapshotAt = _clock.GetUtcNow();
        if (sink is not ISnapshotSink snapshotSink || snapshotSink.SaveSnapshot() is not { } state)
        {
            return;
        }

        _snapshotWrites.Writer.TryWrite(new Snapshot(LogIdentity, offset, SHA256.HashData(body), snapshotSink.SnapshotVersion, state, ledger?.Save()));
    }

    private async Task WriteSnapshotsAsync(CancellationToken stoppingToken)
    {
        if (snapshots is null)
        {
            return;
        }

        try
        {
            await foreach (var snapshot in _snapshotWrites.Reader.ReadAllAsync(stoppingToken))
            {
                Write(snapshot);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    private void Write(Snapshot snapshot)
    {
        try
        {
            snapshots!.Save(snapshot);
            LogSnapshotWritten(logger, snapshot.Offset);
        }
        catch (Exception error) when (error is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            // The fold goes on; the next snapshot tries again. A start-up reads more of the log meanwhile.
            LogSnapshotFailed(logger, error.GetType().Name, snapshot.Offset);
        }
    }

    private async Task PublishMarkerAsync(string id, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            MessageId = id,
            Type = MarkerType,
            DeliveryMode = DeliveryModes.Persistent,
            Headers = new Dictionary<string, object?> { [MarkerHeader] = id },
        };
        while (true)
        {
            Task<IChannel> ready;
            lock (_publisherGate)
            {
                ready = _publisher.Task;
            }

            var channel = await ready.WaitAsync(cancellationToken);
            try
            {
                // The default exchange routes straight to the stream: a marker never reaches an event exchange or a consumer queue.
                await channel.BasicPublishAsync(string.Empty, EventLog.StreamName, mandatory: true, properties, ReadOnlyMemory<byte>.Empty, cancellationToken);
                return;
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                // The connection went before the broker confirmed: publish again on the next one. A marker read twice is harmless.
                LogMarkerRetry(logger, error.GetType().Name);
                await Task.Delay(ReconnectDelay, cancellationToken);
            }
        }
    }

    /// <summary>The offset of a delivery from the event-log stream (its <c>x-stream-offset</c> header).</summary>
    public static long Offset(IReadOnlyBasicProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.Headers?.TryGetValue("x-stream-offset", out var value) == true && value is not null
            ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("an event-log delivery without x-stream-offset");
    }

    /// <summary>
    /// An entry of the event-log stream as the follower passes it on: marker or not, the signature headers, and the
    /// Toxicity event in its body if it is one. For readers of the stream of their own (Audit's verification).
    /// </summary>
    public static LogEntry Entry(long offset, ReadOnlyMemory<byte> body, IReadOnlyBasicProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var isMarker = MarkerId(properties) is not null;
        return new LogEntry(offset, body, isMarker, Text(properties.Headers, EventSignatures.KeyIdHeader),
            Text(properties.Headers, EventSignatures.SignatureHeader), isMarker ? null : Read(offset, body));
    }

    private static string? Text(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            string text => text,
            _ => null,
        } : null;

    private static string? MarkerId(IReadOnlyBasicProperties properties)
    {
        if (properties.Headers?.TryGetValue(MarkerHeader, out var value) == true)
        {
            return value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                _ => string.Empty,
            };
        }

        return properties.Type == MarkerType ? string.Empty : null;
    }

    /// <summary>
    /// Reads a MassTransit envelope (<c>application/vnd.masstransit+json</c>): the first <c>messageType</c> URN is the
    /// event's own type, <c>message</c> the event. Null for an entry that is not a Toxicity event.
    /// </summary>
    private static LoggedEvent? Read(long offset, ReadOnlyMemory<byte> body)
    {
        try
        {
            // One pass over the envelope: the first messageType and where the message is; the message deserialized once.
            var reader = new Utf8JsonReader(body.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? urn = null;
            var (start, end) = (-1, -1);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("messageType"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (urn is null && reader.TokenType == JsonTokenType.String)
                            {
                                urn = reader.GetString();
                            }

                            reader.Skip();
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        end = (int)reader.BytesConsumed;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (urn is null || !urn.StartsWith(MessageUrnPrefix, StringComparison.Ordinal) || start < 0
                || !EventLog.TypesByWireName.TryGetValue(urn[MessageUrnPrefix.Length..], out var type))
            {
                return null;
            }

            var message = body[start..end];
            if (JsonSerializer.Deserialize(message.Span, type, Json) is not IPatientEvent patientEvent
                || patientEvent.EventId == Guid.Empty || string.IsNullOrEmpty(patientEvent.PatientId))
            {
                return null;
            }

            return new LoggedEvent(offset, urn[MessageUrnPrefix.Length..], patientEvent, message.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static TaskCompletionSource<IChannel> NewPublisher() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "Following {Stream} from offset {Offset}")]
    private static partial void LogReading(ILogger logger, string stream, object offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event log read up to start-up (offset {Offset}): rebuilt")]
    private static partial void LogRebuilt(ILogger logger, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event-log follower failed ({ErrorType}); reconnecting after offset {Offset}")]
    private static partial void LogReconnect(ILogger logger, string errorType, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event-log entry at offset {Offset} is not a Toxicity event; skipped")]
    private static partial void LogSkipped(ILogger logger, long offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fold restored from the snapshot at offset {Offset}; following the log from there")]
    private static partial void LogRestored(ILogger logger, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot not used: {Reason}; the log is folded from its first entry")]
    private static partial void LogSnapshotDamaged(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot of version {Saved} not used by version {Current}; the log is folded from its first entry")]
    private static partial void LogSnapshotVersion(ILogger logger, string saved, string current);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The snapshot at offset {Offset} is of another log (the stream was replaced); folding it from its first entry")]
    private static partial void LogSnapshotOfAnotherLog(ILogger logger, long offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot at offset {Offset} written")]
    private static partial void LogSnapshotWritten(ILogger logger, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot at offset {Offset} not written ({ErrorType}); the next one tries again")]
    private static partial void LogSnapshotFailed(ILogger logger, string errorType, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event-log marker not confirmed ({ErrorType}); publishing it again")]
    private static partial void LogMarkerRetry(ILogger logger, string errorType);
}

/// <summary>Registration of the <see cref="EventLogFollower"/>.</summary>
public static class EventLogFollowerExtensions
{
    /// <summary>
    /// Follows the event log into <typeparamref name="TSink"/> (a singleton; registered here unless already), with
    /// its readiness check (<see cref="ServiceDefaults.ReadyTag"/>). Call after <c>AddToxicityMessaging</c>, whose broker it uses.
    /// </summary>
    public static WebApplicationBuilder AddEventLogFollower<TSink>(this WebApplicationBuilder builder)
        where TSink : class, IEventLogSink
    {
        if (!builder.Services.Any(d => d.ServiceType == typeof(MessagingOptions)))
        {
            throw new InvalidOperationException("AddEventLogFollower needs AddToxicityMessaging first: it reads the log from the same broker.");
        }

        builder.Services.TryAddSingleton<TSink>();
        if (typeof(ISnapshotSink).IsAssignableFrom(typeof(TSink)))
        {
            var snapshotOptions = SnapshotOptions.From(builder.Configuration, builder.ServiceName());
            builder.Services.AddSingleton(snapshotOptions);
            builder.Services.AddSingleton(sp =>
            {
                var (store, damaged) = SnapshotStore.Open(snapshotOptions.Path);
                if (damaged is not null)
                {
                    sp.GetRequiredService<ILogger<SnapshotStore>>().LogWarning("Snapshot file not readable ({Damaged}): the log is folded from its first entry", damaged);
                }

                return store;
            });
        }

        builder.Services.AddSingleton(sp => new EventLogFollower(
            sp.GetRequiredService<TSink>(), sp.GetRequiredService<MessagingOptions>(), sp.GetRequiredService<ILogger<EventLogFollower>>(),
            sp.GetService<EffectLedger>(), sp.GetService<SnapshotOptions>() is { Enabled: true } ? sp.GetService<SnapshotStore>() : null,
            sp.GetService<SnapshotOptions>(), sp.GetService<TimeProvider>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventLogFollower>());
        builder.Services.AddHealthChecks().AddCheck<EventLogFollower>("event-log-follower", tags: [ServiceDefaults.ReadyTag]);
        return builder;
    }
}
