using MassTransit;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service.Webhooks;

/// <summary>
/// Runs every subscriber's <see cref="WebhookSender"/> once the event log is read up to start-up, and records each
/// outcome in the log (<see cref="WebhookDelivered"/> or <see cref="WebhookDeliveryFailed"/>, ids derived from the
/// notification and the subscriber), so that a restart sends nothing twice and failures are kept and listed.
/// </summary>
internal sealed partial class WebhookDispatcher(
    WebhookOutbox outbox,
    IReadOnlyList<WebhookSender> senders,
    EventLogFollower log,
    IBus bus,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string DeliveredEffect = "webhook-delivered";
    public const string FailedEffect = "webhook-failed";

    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (senders.Count == 0)
        {
            return;
        }

        await log.SyncAsync(stoppingToken);
        outbox.Start(senders);
        await Task.WhenAll(senders.Select(s => s.RunAsync((sender, notification, outcome) => RecordAsync(sender, notification, outcome, stoppingToken), stoppingToken)));
    }

    private async Task RecordAsync(WebhookSender sender, WebhookNotification notification, DeliveryOutcome outcome, CancellationToken stoppingToken)
    {
        var subscriber = sender.Subscription.Name;
        var now = clock.GetUtcNow();
        IPatientEvent record = outcome.Delivered
            ? new WebhookDelivered(EventIds.Derive(notification.Id, $"{DeliveredEffect}/{subscriber}"), notification.PatientId, now, now,
                subscriber, notification.Id, notification.Type, outcome.Attempts, outcome.StatusCode ?? 0)
            : new WebhookDeliveryFailed(EventIds.Derive(notification.Id, $"{FailedEffect}/{subscriber}"), notification.PatientId, now, now,
                subscriber, notification.Id, notification.Type, outcome.Attempts, outcome.StatusCode, outcome.Error);
        if (!outcome.Delivered)
        {
            LogGaveUp(logger, subscriber, notification.Type, notification.Id, notification.PatientId, outcome.Attempts, outcome.Error);
        }

        // Settled in the outbox when the fold reads the outcome back (a snapshot of the fold holds what the log holds).
        // Recorded with confirms, retried while the broker is away; if the service stops first, the next start sends
        // the notification again with the same webhook-id, which receivers drop as a duplicate.
        for (var wait = TimeSpan.FromSeconds(1); !stoppingToken.IsCancellationRequested; wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)))
        {
            try
            {
                await ConfirmedPublish.PublishAsync(bus, [record], PublishTimeout, stoppingToken);
                return;
            }
            catch (BrokerUnavailableException)
            {
                LogNotRecorded(logger, subscriber, notification.Id);
                await Task.Delay(wait, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Subscriber} not reached: {NotificationType} {NotificationId} for patient {PatientId} failed after {Attempts} attempts ({Error})")]
    private static partial void LogGaveUp(ILogger logger, string subscriber, string notificationType, Guid notificationId, string patientId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook outcome for {Subscriber} / {NotificationId} not confirmed by the broker; trying again")]
    private static partial void LogNotRecorded(ILogger logger, string subscriber, Guid notificationId);
}
