using MassTransit;
using Microsoft.Extensions.Logging;
using Toxicity.Contracts;

namespace Toxicity.Hosting;

/// <summary>What a consumer does with a cause that the event log already decided effects for (<see cref="EffectLedger"/>).</summary>
public static class OwedEffects
{
    // LoggerMessage.Define with event id 0: the generator's non-zero EventId would replace our EventId property.
    private static readonly Action<ILogger, string, string, Guid, Guid, Exception?> LogPublished = LoggerMessage.Define<string, string, Guid, Guid>(
        LogLevel.Information, default, "{EventType} published for {PatientId} ({EventId}), on receiving {CauseEventId}");

    /// <summary>
    /// Publishes what <paramref name="cause"/>'s patient is owed up to it, in the order decided (the effects of one cause
    /// together, confirmed together; one patient's turn at a time), before the message is acknowledged. A redelivered message may already have been
    /// handled by an instance that died before its ack: the log is read up to now first, so nothing is published twice.
    /// </summary>
    public static async Task PublishAsync(ConsumeContext context, IPatientEvent cause, EffectLedger ledger, EventLogFollower log, ILogger logger)
    {
        if (context.ReceiveContext.Redelivered)
        {
            await log.SyncAsync(context.CancellationToken);
        }

        using var turn = await ledger.TurnAsync(cause.PatientId, context.CancellationToken);
        var owed = await ledger.ClaimAsync(cause, context.CancellationToken);
        try
        {
            foreach (var decided in owed.GroupBy(o => o.Sequence))
            {
                await Task.WhenAll(decided.Select(o => context.Publish(o.Effect, o.Effect.GetType(), context.CancellationToken)));
                foreach (var published in decided)
                {
                    ledger.Published(published.Effect);
                    LogPublished(logger, published.Effect.GetType().Name, cause.PatientId, published.Effect.EventId, cause.EventId, null);
                }
            }
        }
        catch
        {
            ledger.Unclaim(owed);
            throw;
        }
    }
}
