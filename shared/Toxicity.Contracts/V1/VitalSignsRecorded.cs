namespace Toxicity.Contracts.V1;

/// <summary>
/// A ward system recorded a set of vital signs for a patient. Published by Ingestion after the broker
/// confirmed it; every value is optional because a ward posts what it measured. Units are fixed by the
/// property names (°C, per minute, mmHg, %).
/// </summary>
public sealed record VitalSignsRecorded(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    double? TemperatureC,
    int? HeartRatePerMin,
    int? RespiratoryRatePerMin,
    int? SystolicMmHg,
    int? DiastolicMmHg,
    int? SpO2Percent) : IPatientEvent;
