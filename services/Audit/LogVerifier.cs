using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service;

/// <summary>What <c>GET /api/v1/audit/verify</c> answers: intact up to an offset, or the first problem found.</summary>
/// <remarks><see cref="Entries"/> counts the events and foreign entries verified; <see cref="Markers"/> the sync markers (not part of the clinical record, chained all the same).</remarks>
internal sealed record VerifyReport(bool Intact, long VerifiedUpTo, long Entries, long? RetainedFrom, VerifyProblem? Problem, long Markers = 0);

/// <summary>
/// The first problem: at <see cref="Offset"/>, <see cref="Kind"/> is <c>unsigned</c>, <c>invalid</c>, <c>unknown-key</c>,
/// <c>not-an-event</c> (a signature problem of the entry), <c>altered</c> (the stream's entry differs from the one
/// chained when it was read), <c>missing</c> (an entry chained then is gone from the stream) or <c>unexpected</c>.
/// </summary>
internal sealed record VerifyProblem(long Offset, string Kind, string Detail);

/// <summary>
/// Verification: reads the stream again from its first retained entry, recomputes every signature status and the
/// chain, and compares them, entry by entry, with what Audit chained and stored when it first read the log (so an entry
/// removed, altered, reordered or replaced after that is found), up to the last entry stored when verification began.
/// </summary>
internal sealed class LogVerifier(MessagingOptions messaging, AuditStore store, AuditLog log)
{
    // A stream that stops short of what was stored has lost entries at its end.
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);

    public async Task<VerifyReport> VerifyAsync(CancellationToken cancellationToken)
    {
        log.Flush();
        var upTo = log.Stored;
        if (upTo < 0)
        {
            return new VerifyReport(true, -1, 0, null, null);
        }

        var factory = new ConnectionFactory { Uri = messaging.BrokerUri, ClientProvidedName = $"{messaging.ServiceName}-verify", AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.BasicQosAsync(0, 1000, global: false, cancellationToken);
        var deliveries = Channel.CreateBounded<(long Offset, byte[] Body, IReadOnlyBasicProperties Properties, ulong Tag)>(1000);
        // Cancelled when verification ends, so a delivery waiting for room in the channel never holds up the disposal.
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var offset = EventLogFollower.Offset(delivery.BasicProperties);
            try
            {
                await deliveries.Writer.WriteAsync((offset, delivery.Body.ToArray(), delivery.BasicProperties, delivery.DeliveryTag), done.Token);
            }
            catch (OperationCanceledException)
            {
                // Verification is over.
            }
        };
        await channel.BasicConsumeAsync(EventLog.StreamName, autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: false,
            arguments: new Dictionary<string, object?> { ["x-stream-offset"] = "first" }, consumer, cancellationToken);

        try
        {
            return await CompareAsync(channel, deliveries.Reader, upTo, cancellationToken);
        }
        finally
        {
            await done.CancelAsync();
        }
    }

    private async Task<VerifyReport> CompareAsync(IChannel channel, ChannelReader<(long Offset, byte[] Body, IReadOnlyBasicProperties Properties, ulong Tag)> deliveries,
        long upTo, CancellationToken cancellationToken)
    {
        using var reader = store.OpenReader();
        using var rows = reader.CreateCommand();
        rows.CommandText = "SELECT log_offset, status, chain FROM entries WHERE log_offset <= $upTo ORDER BY log_offset";
        rows.Parameters.AddWithValue("$upTo", upTo);
        using var stored = await rows.ExecuteReaderAsync(cancellationToken);
        var haveRow = await stored.ReadAsync(cancellationToken);
        byte[]? previous = null;
        long? retainedFrom = null;
        long entries = 0, markers = 0, verified = -1;
        while (verified < upTo)
        {
            (long Offset, byte[] Body, IReadOnlyBasicProperties Properties, ulong Tag) next;
            using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                quiet.CancelAfter(Quiet);
                try
                {
                    next = await deliveries.ReadAsync(quiet.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return Problem(verified, entries, retainedFrom, verified + 1, "missing", $"the stream ends before offset {upTo}, which Audit stored");
                }
            }

            await channel.BasicAckAsync(next.Tag, multiple: false, cancellationToken);
            if (next.Offset <= verified)
            {
                continue; // a stream delivers from the start of a chunk
            }

            if (previous is null)
            {
                // The first entry the stream still has: entries before it were dropped by retention (docs/audit.md).
                previous = AuditChain.Genesis;
                while (haveRow && stored.GetInt64(0) < next.Offset)
                {
                    previous = (byte[])stored[2];
                    retainedFrom = next.Offset;
                    haveRow = await stored.ReadAsync(cancellationToken);
                }
            }

            if (!haveRow || stored.GetInt64(0) > next.Offset)
            {
                return Problem(verified, entries, retainedFrom, next.Offset, "unexpected", "an entry in the stream that Audit never chained");
            }

            if (stored.GetInt64(0) < next.Offset)
            {
                return Problem(verified, entries, retainedFrom, stored.GetInt64(0), "missing", "an entry Audit chained is gone from the stream");
            }

            var entry = EventLogFollower.Entry(next.Offset, next.Body, next.Properties);
            var status = AuditChain.Status(entry, log.Keys);
            var chain = AuditChain.Next(previous, next.Offset, status, next.Body);
            if (!chain.AsSpan().SequenceEqual((byte[])stored[2]))
            {
                return Problem(verified, entries, retainedFrom, next.Offset, "altered",
                    status == stored.GetString(1) ? "the entry's body differs from the one chained" : $"the entry's status is {status}, chained as {stored.GetString(1)}");
            }

            if (AuditChain.IsProblem(status))
            {
                return Problem(verified, entries, retainedFrom, next.Offset, status, status switch
                {
                    "unsigned" => "an event published without a signature: not by a Toxicity service",
                    "unknown-key" => $"signed with key id '{entry.KeyId}', which Audit does not know",
                    "invalid" => "the signature does not match the event: forged or altered before it was logged",
                    _ => "an entry that is not a Toxicity event",
                });
            }

            previous = chain;
            verified = next.Offset;
            if (status == AuditChain.Marker)
            {
                markers++;
            }
            else
            {
                entries++;
            }

            haveRow = await stored.ReadAsync(cancellationToken);
        }

        return new VerifyReport(true, verified, entries, retainedFrom, null, markers);
    }

    private static VerifyReport Problem(long verified, long entries, long? retainedFrom, long offset, string kind, string detail) =>
        new(false, verified, entries, retainedFrom, new VerifyProblem(offset, kind, detail));

}
