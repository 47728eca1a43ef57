namespace Toxicity.Contracts.V1;

/// <summary>
/// A ward system updated an admitted patient's details (all of them, as of <see cref="ObservedAt"/>), death included:
/// <see cref="DiedAt"/> set means the patient died. Published by Ingestion. <see cref="DevelopmentalDelay"/> and
/// <see cref="BaselineCapd"/> as on <see cref="PatientAdmitted"/>.
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
    DateTimeOffset? DiedAt,
    bool? DevelopmentalDelay = null,
    int? BaselineCapd = null) : IPatientEvent;
