namespace Toxicity.Contracts.V1;

/// <summary>
/// A ward system updated an admitted patient's details (all of them, as of <see cref="ObservedAt"/>), death included:
/// <see cref="DiedAt"/> set means the patient died. Published by Ingestion.
/// </summary>
public sealed record PatientDetailsUpdated(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    double AgeYears,
    double? WeightKg,
    double? HeightCm,
    double? BodySurfaceAreaM2,
    string Diagnosis,
    string? Ward,
    DateTimeOffset? DiedAt) : IPatientEvent;
