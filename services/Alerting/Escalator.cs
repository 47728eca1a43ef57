using MassTransit;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service;

/// <summary>
/// Escalates alerts nobody acknowledged in time (docs/alerting.md): every second, once the event log has been read up
/// to start-up (so no acknowledgement is missed), it publishes the escalations the <see cref="AlertBook"/> finds due,
/// each once. Deadlines come from the events' times, so they survive a restart: an alert whose deadline passed while
/// the service was down escalates as soon as it is back.
/// </summary>
internal sealed partial class Escalator(AlertBook book, EffectLedger ledger, EventLogFollower log, IBus bus, TimeProvider clock, ILogger<Escalator> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    // LoggerMessage.Define with event id 0: the generator's non-zero EventId would replace our EventId property.
    private static readonly Action<ILogger, Guid, string, string, Exception?> LogEscalated = LoggerMessage.Define<Guid, string, string>(
        LogLevel.Warning, default, "Alert {AlertId} unacknowledged: escalated from {FromTier} to {ToTier}");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await log.SyncAsync(stoppingToken);
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                // Every escalation due at once, confirmed together (never one publish after another).
                var due = book.DueEscalations(clock.GetUtcNow()).Where(e => !ledger.IsPublished(e.EventId)).ToList();
                if (due.Count == 0)
                {
                    continue;
                }

                await ConfirmedPublish.PublishAsync(bus, due, PublishTimeout, stoppingToken);
                foreach (var escalation in due)
                {
                    ledger.Published(escalation);
                    LogEscalated(logger, escalation.AlertId, escalation.FromTier, escalation.ToTier, null);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The broker is away: the next tick tries again; nothing is lost, the deadlines are in the log.
                LogRetry(logger, error.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation not published ({ErrorType}); the next tick tries again")]
    private static partial void LogRetry(ILogger logger, string errorType);
}
