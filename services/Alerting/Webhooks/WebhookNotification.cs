namespace Toxicity.Alerting.Service.Webhooks;

/// <summary>
/// One notification for webhook subscribers: <see cref="Id"/> is the <c>webhook-id</c> (the id of the event notified, so
/// the same across retries and restarts, for receivers to drop duplicates); <see cref="Tiers"/> are the tiers it is
/// addressed to; <see cref="Body"/> is serialized once and sent, byte for byte, to every subscriber.
/// </summary>
internal sealed record WebhookNotification(
    Guid Id,
    string Type,
    string PatientId,
    string? Ward,
    IReadOnlyList<string> Tiers,
    DateTimeOffset RecordedAt,
    byte[] Body);

/// <summary>The body sent: the Standard Webhooks shape (<c>type</c>, <c>timestamp</c>, <c>data</c>).</summary>
internal sealed record WebhookPayload<T>(string Type, DateTimeOffset Timestamp, T Data);

/// <summary>The data of an <c>alert.escalated</c> notification: the alert, and the tiers it went from and to.</summary>
internal sealed record EscalationNotification(Alert Alert, string FromTier, string ToTier, DateTimeOffset EscalatedAt);
