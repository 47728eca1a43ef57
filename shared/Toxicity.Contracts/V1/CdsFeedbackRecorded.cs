namespace Toxicity.Contracts.V1;

/// <summary>
/// A CDS Hooks client (the hospital's EHR) reported what its user did with a card of Toxicity's <c>patient-view</c>
/// service (CDS Hooks "Feedback"): <see cref="Outcome"/> <c>accepted</c> or <c>overridden</c>, and for an override the
/// code of the reason chosen among the card's override reasons (<see cref="OverrideReason"/>; null when none was given).
/// <see cref="Client"/> is the EHR's issuer; <see cref="ObservedAt"/> the outcome's time. The user's free-text comment is
/// never recorded. Published by Audit; <see cref="EventId"/> is derived from the card and the outcome, so a repeated
/// report records nothing new.
/// </summary>
public sealed record CdsFeedbackRecorded(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    string ServiceId,
    Guid CardId,
    string Outcome,
    string? OverrideReason,
    string Client) : IPatientEvent;
