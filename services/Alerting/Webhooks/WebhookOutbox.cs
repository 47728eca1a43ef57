using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Toxicity.Contracts.V1;

namespace Toxicity.Alerting.Service.Webhooks;

/// <summary>
/// Which notifications each webhook subscriber is owed, folded from the event log by the <see cref="AlertBook"/>: alerts
/// raised (not notices), escalations, acknowledgements and overdue-observation notices, less those whose delivery or failure is already in the log
/// (<see cref="WebhookDelivered"/>, <see cref="WebhookDeliveryFailed"/>). Nothing is sent while the log is read up to
/// start-up (a replay never pages anyone again); then what is still owed and recent is sent, and every new
/// notification as it is folded.
/// </summary>
internal sealed class WebhookOutbox(IOptions<WebhookOptions> options, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _gate = new();
    private readonly HashSet<(Guid Notification, string Subscriber)> _settled = [];
    private readonly List<WebhookDeliveryFailed> _failed = [];
    private readonly HashSet<Guid> _failedIds = [];
    private readonly HashSet<Guid> _offered = [];
    private List<WebhookNotification>? _waiting = [];
    private IReadOnlyList<WebhookSender> _senders = [];

    /// <summary>An alert raised (as it was raised); a notice pages nobody and is not sent.</summary>
    public void Raised(Alert alert)
    {
        if (Pages(alert))
        {
            Offer(alert.AlertId, WebhookEventTypes.AlertRaised, alert.PatientId, alert.Ward, [alert.Tier!], alert.RaisedAt, alert);
        }
    }

    /// <summary><paramref name="alert"/> (as it was raised) escalated: to the subscribers of the tier it went to.</summary>
    public void Escalated(AlertEscalated escalated, Alert alert)
    {
        if (Pages(alert))
        {
            Offer(escalated.EventId, WebhookEventTypes.AlertEscalated, alert.PatientId, alert.Ward, [escalated.ToTier], escalated.RecordedAt,
                new EscalationNotification(alert with { Tier = escalated.ToTier }, escalated.FromTier, escalated.ToTier, escalated.ObservedAt));
        }
    }

    /// <summary><paramref name="alert"/> acknowledged: to every tier it <paramref name="reached"/>, so whoever was paged can stop.</summary>
    public void Acknowledged(AlertAcknowledged acknowledged, Alert alert, IReadOnlyList<string> reached)
    {
        if (Pages(alert))
        {
            Offer(acknowledged.EventId, WebhookEventTypes.AlertAcknowledged, alert.PatientId, alert.Ward, reached, acknowledged.RecordedAt,
                new Acknowledgement(acknowledged.AlertId, acknowledged.PatientId, acknowledged.AcknowledgedBy, acknowledged.ObservedAt));
        }
    }

    /// <summary>An overdue-observation notice (C2-OD-1), to the subscribers of the tiers it is for.</summary>
    public void Overdue(OverdueNotice notice, IReadOnlyList<string> tiers, DateTimeOffset recordedAt) =>
        Offer(notice.NoticeId, WebhookEventTypes.ObservationOverdue, notice.PatientId, notice.Ward, tiers, recordedAt, notice);

    public void Delivered(WebhookDelivered delivered) => Settle(delivered.NotificationId, delivered.Subscriber);

    public void Failed(WebhookDeliveryFailed failed)
    {
        lock (_gate)
        {
            _settled.Add((failed.NotificationId, failed.Subscriber));
            if (_failedIds.Add(failed.EventId))
            {
                _failed.Add(failed);
            }
        }
    }

    /// <summary>The deliveries that finally failed, in log order, optionally of one subscriber.</summary>
    public IReadOnlyList<WebhookDeliveryFailed> FailedDeliveries(string? subscriber)
    {
        lock (_gate)
        {
            return [.. _failed.Where(f => subscriber is null || f.Subscriber == subscriber)];
        }
    }

    /// <summary>
    /// The log is read up to start-up: sends what is still owed (recorded within <see cref="WebhookOptions.MaxAge"/>) to
    /// <paramref name="senders"/>, then every notification as it is folded.
    /// </summary>
    public void Start(IReadOnlyList<WebhookSender> senders)
    {
        List<WebhookNotification> waiting;
        lock (_gate)
        {
            _senders = senders;
            waiting = _waiting ?? [];
            _waiting = null;
        }

        var oldest = clock.GetUtcNow() - options.Value.MaxAge;
        foreach (var notification in waiting.Where(n => n.RecordedAt >= oldest))
        {
            Dispatch(notification);
        }
    }

    /// <summary>Marks a delivery's outcome as known, so that it is not sent again.</summary>
    public void Settle(Guid notificationId, string subscriber)
    {
        lock (_gate)
        {
            _settled.Add((notificationId, subscriber));
        }
    }

    private static bool Pages(Alert alert) => alert.Kind == "alert" && alert.Tier is not null;

    private void Offer<T>(Guid id, string type, string patientId, string? ward, IReadOnlyList<string> tiers, DateTimeOffset recordedAt, T data)
    {
        if (options.Value.Subscribers.Count == 0)
        {
            return;
        }

        var notification = new WebhookNotification(id, type, patientId, ward, tiers, recordedAt,
            JsonSerializer.SerializeToUtf8Bytes(new WebhookPayload<T>(type, recordedAt, data), Json));
        lock (_gate)
        {
            // The same event twice in the log (a publisher retried) is one notification.
            if (!_offered.Add(id))
            {
                return;
            }

            if (_waiting is not null)
            {
                // Still reading the log up to start-up: only what is recent can still be owed.
                if (recordedAt >= clock.GetUtcNow() - options.Value.MaxAge)
                {
                    _waiting.Add(notification);
                }

                return;
            }
        }

        Dispatch(notification);
    }

    private void Dispatch(WebhookNotification notification)
    {
        foreach (var sender in _senders)
        {
            bool settled;
            lock (_gate)
            {
                settled = _settled.Contains((notification.Id, sender.Subscription.Name));
            }

            if (!settled && sender.Subscription.Wants(notification.Type, notification.Tiers, notification.Ward))
            {
                sender.Enqueue(notification);
            }
        }
    }
}
