namespace Toxicity.Contracts.V1;

/// <summary>
/// A clinician recorded the patient's treatment plan: the regimen of the catalogue (<see cref="RegimenId"/>, e.g.
/// <c>blinatumomab-rr-ball-45kg-and-over</c>) and the date of cycle 1 day 1. A later plan replaces it. Published by
/// Mitigation; <see cref="ObservedAt"/> is when the clinician recorded it.
/// </summary>
public sealed record TreatmentPlanned(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    string RegimenId,
    DateOnly Cycle1Day1) : IPatientEvent;
