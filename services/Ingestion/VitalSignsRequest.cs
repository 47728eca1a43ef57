namespace Toxicity.Ingestion.Service;

/// <summary>The body of <c>POST /api/v1/vital-signs</c>. Everything is optional at this level; validation names what is missing.</summary>
public sealed record VitalSignsRequest(
    string? PatientId,
    DateTimeOffset? ObservedAt,
    Measurement? Temperature,
    int? HeartRate,
    int? RespiratoryRate,
    int? SystolicMmHg,
    int? DiastolicMmHg,
    int? SpO2Percent);

/// <summary>A value with its UCUM unit, e.g. <c>{ "value": 38.5, "unit": "Cel" }</c>.</summary>
public sealed record Measurement(double? Value, string? Unit);

/// <summary>The answer to an accepted observation: the id it carries through every downstream effect.</summary>
public sealed record Accepted(Guid EventId);
