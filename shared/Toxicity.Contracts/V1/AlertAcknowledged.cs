namespace Toxicity.Contracts.V1;

/// <summary>
/// A clinician acknowledged an alert: it stops escalating. Published by Alerting; <see cref="EventId"/> is derived from
/// <see cref="AlertId"/>, so acknowledging twice records one fact. <see cref="AcknowledgedBy"/> is the name of the
/// credential used (an account or device name, never a patient's). <see cref="ObservedAt"/> is when it was acknowledged.
/// </summary>
public sealed record AlertAcknowledged(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    Guid AlertId,
    string AcknowledgedBy) : IPatientEvent;
