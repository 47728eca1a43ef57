namespace Toxicity.Contracts.V1;

/// <summary>
/// Alerting gave up delivering a notification to a webhook subscriber after <see cref="Attempts"/> attempts (retries with
/// back-off, or the subscriber's circuit stayed open). Kept in the event log and listed by Alerting, so a failed page is
/// never silent. <see cref="LastStatusCode"/> is the subscriber's last HTTP status, null when it never answered;
/// <see cref="LastError"/> names the failure (e.g. <c>HTTP 503</c>, <c>timeout</c>, <c>circuit open</c>), never a body.
/// <see cref="EventId"/> is derived from <see cref="NotificationId"/> and <see cref="Subscriber"/>.
/// </summary>
public sealed record WebhookDeliveryFailed(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    string Subscriber,
    Guid NotificationId,
    string NotificationType,
    int Attempts,
    int? LastStatusCode,
    string LastError) : IPatientEvent;
