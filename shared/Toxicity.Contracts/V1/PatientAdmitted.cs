namespace Toxicity.Contracts.V1;

/// <summary>
/// A ward system admitted a patient to Toxicity's care: the first record of the patient. Published by Ingestion.
/// <see cref="ObservedAt"/> is when the ward recorded the details. The patient is pseudonymous: no name, ever.
/// <see cref="DevelopmentalDelay"/> and <see cref="BaselineCapd"/> (appended; null: not reported) make CAPD the ICANS
/// score at 12 years and over (CLINICAL-RULES.md §8.1 C2-DD-1).
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
    DateTimeOffset? DiedAt,
    bool? DevelopmentalDelay = null,
    int? BaselineCapd = null) : IPatientEvent;
