namespace Toxicity.Contracts.V1;

/// <summary>
/// A ward system admitted a patient to Toxicity's care: the first record of the patient. Published by Ingestion.
/// <see cref="ObservedAt"/> is when the ward recorded the details. The patient is pseudonymous: no name, ever.
/// </summary>
public sealed record PatientAdmitted(
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
