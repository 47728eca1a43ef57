namespace Toxicity.Contracts.V1;

/// <summary>
/// Alerting delivered a notification (an alert raised, escalated or acknowledged) to a webhook subscriber: the
/// subscriber answered 2xx. Recorded so that a restart, which reads the event log again, never sends it again.
/// <see cref="NotificationId"/> is the <c>webhook-id</c> sent (the id of the event notified); <see cref="EventId"/> is derived
/// from it and <see cref="Subscriber"/>. <see cref="ObservedAt"/> is when the subscriber answered.
/// </summary>
public sealed record WebhookDelivered(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    string Subscriber,
    Guid NotificationId,
    string NotificationType,
    int Attempts,
    int StatusCode) : IPatientEvent;
