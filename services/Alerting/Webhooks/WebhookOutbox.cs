using System.Security.Cryptography;
using System.Text;
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
/// notification as it is folded. Only the notifications recorded within <see cref="WebhookOptions.MaxAge"/> are kept, with
/// their outcomes (they may still be owed at the next start; older ones never are): the outbox stays as small as an hour
/// of pages, and a snapshot of it holds what a fold from the first entry would owe.
/// </summary>
internal sealed class WebhookOutbox(IOptions<WebhookOptions> options, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _gate = new();
    private readonly HashSet<(Guid Notification, string Subscriber)> _settled = [];
    private readonly List<WebhookDeliveryFailed> _failed = [];
    private readonly HashSet<Guid> _failedIds = [];
    private readonly HashSet<Guid> _offered = [];
    // In log order; the oldest leave once older than MaxAge.
    private readonly Queue<WebhookNotification> _recent = new();
    private bool _started;
    private IReadOnlyList<WebhookSender> _senders = [];

    /// <summary>
    /// What the fold depends on besides the log: whether and to whom notifications are offered (the subscribers' names)
    /// and how long one is kept (<see cref="WebhookOptions.MaxAge"/>); never a URL or a secret.
    /// </summary>
    public string Fingerprint
    {
        get
        {
            var subscribers = string.Join('\n', options.Value.Subscribers.Keys.Order(StringComparer.Ordinal));
            var maxAge = options.Value.MaxAge.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{subscribers}\n{maxAge}")))[..16];
        }
    }

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

    public void Delivered(WebhookDelivered delivered)
    {
        lock (_gate)
        {
            Settle(delivered.NotificationId, delivered.Subscriber);
        }
    }

    public void Failed(WebhookDeliveryFailed failed)
    {
        lock (_gate)
        {
            Settle(failed.NotificationId, failed.Subscriber);
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
        List<WebhookNotification> owed;
        lock (_gate)
        {
            _senders = senders;
            _started = true;
            owed = [.. _recent];
        }

        var oldest = clock.GetUtcNow() - options.Value.MaxAge;
        foreach (var notification in owed.Where(n => n.RecordedAt >= oldest))
        {
            Dispatch(notification);
        }
    }

    /// <summary>
    /// The outbox as a snapshot of the fold keeps it: the failures, and the notifications of the last
    /// <see cref="WebhookOptions.MaxAge"/> (all that can still be sent) with the outcomes the log holds for them.
    /// </summary>
    public OutboxState Save()
    {
        lock (_gate)
        {
            return new OutboxState([.. _settled.Select(s => new SettledState(s.Notification, s.Subscriber))], [.. _failed], [.. _recent]);
        }
    }

    /// <summary>What <see cref="Save"/> kept, in place of what was folded (before start-up ends: nothing is sent here).</summary>
    public void Restore(OutboxState saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        lock (_gate)
        {
            ClearLocked();
            foreach (var failed in saved.Failed.Where(f => _failedIds.Add(f.EventId)))
            {
                _failed.Add(failed);
            }

            foreach (var notification in saved.Recent.Where(n => _offered.Add(n.Id)))
            {
                _recent.Enqueue(notification);
            }

            foreach (var settled in saved.Settled)
            {
                Settle(settled.NotificationId, settled.Subscriber);
            }
        }
    }

    /// <summary>Forgets everything folded (before the log is folded again from its first entry).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            ClearLocked();
        }
    }

    private void ClearLocked()
    {
        _settled.Clear();
        _failed.Clear();
        _failedIds.Clear();
        _offered.Clear();
        _recent.Clear();
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
        var oldest = clock.GetUtcNow() - options.Value.MaxAge;
        lock (_gate)
        {
            // What leaves the recent window is never sent again: its id and outcomes are forgotten (bounded state).
            while (_recent.TryPeek(out var first) && first.RecordedAt < oldest)
            {
                Forget(_recent.Dequeue().Id);
            }

            // Older than MaxAge (a very late copy in the log) or the same event twice (a publisher retried): nothing to send.
            if (recordedAt < oldest || !_offered.Add(id))
            {
                return;
            }

            _recent.Enqueue(notification);

            // Still reading the log up to start-up: Start sends it if it is still owed then.
            if (!_started)
            {
                return;
            }
        }

        Dispatch(notification);
    }

    // An outcome matters while its notification may still be sent (offered, within MaxAge).
    private void Settle(Guid id, string subscriber)
    {
        if (_offered.Contains(id))
        {
            _settled.Add((id, subscriber));
        }
    }

    private void Forget(Guid id)
    {
        _offered.Remove(id);
        foreach (var subscriber in options.Value.Subscribers.Keys)
        {
            _settled.Remove((id, subscriber));
        }
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

/// <summary>The <see cref="WebhookOutbox"/> as a snapshot of the fold keeps it.</summary>
internal sealed record OutboxState(List<SettledState> Settled, List<WebhookDeliveryFailed> Failed, List<WebhookNotification> Recent);

/// <summary>A notification whose outcome for <see cref="Subscriber"/> is in the log.</summary>
internal sealed record SettledState(Guid NotificationId, string Subscriber);
