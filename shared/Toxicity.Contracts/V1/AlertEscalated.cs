namespace Toxicity.Contracts.V1;

/// <summary>
/// An alert nobody acknowledged in time went to the next tier of its ward's policy. Published by Alerting;
/// <see cref="EventId"/> is derived from <see cref="AlertId"/> and <see cref="ToTier"/>, so each step is one fact.
/// <see cref="ObservedAt"/> is when the deadline passed.
/// </summary>
public sealed record AlertEscalated(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    Guid AlertId,
    string Severity,
    string FromTier,
    string ToTier) : IPatientEvent;
