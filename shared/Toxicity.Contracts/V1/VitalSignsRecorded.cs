namespace Toxicity.Contracts.V1;

/// <summary>
/// A ward system recorded a set of vital signs for a patient. Published by Ingestion after the broker
/// confirmed it; every value is optional because a ward posts what it measured. Units are fixed by the
/// property names (°C, per minute, mmHg, %, L/min). Hypotension is carried as the bedside team's judgement and
/// what it needs (fluids, vasopressors), never derived from a pressure (CLINICAL-RULES.md C-CRS-5).
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
    int? SpO2Percent,
    int? MeanArterialMmHg = null,
    string? OxygenDevice = null,
    double? OxygenFlowLPerMin = null,
    double? Fio2Percent = null,
    bool? Hypotensive = null,
    bool? FluidBolusGiven = null,
    IReadOnlyList<VasopressorInfusion>? Vasopressors = null) : IPatientEvent;

/// <summary>A vasopressor running at the time of the observation; vasopressin is told apart (CLINICAL-RULES.md C-CRS-4).</summary>
public sealed record VasopressorInfusion(string Drug, double Dose, string DoseUnit, bool IsVasopressin);
