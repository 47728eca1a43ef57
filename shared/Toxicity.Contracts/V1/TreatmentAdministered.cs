namespace Toxicity.Contracts.V1;

/// <summary>
/// A ward recorded a treatment given, or an infusion interrupted or restarted. <see cref="Kind"/> is one of
/// <c>bispecificDose</c>, <c>premedication</c>, <c>tocilizumab</c>, <c>corticosteroid</c>, <c>antipyretic</c>,
/// <c>infusionInterrupted</c>, <c>infusionRestarted</c>. <see cref="ObservedAt"/> is when it was administered.
/// Published by Ingestion.
/// </summary>
public sealed record TreatmentAdministered(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    string Kind,
    string? Drug,
    double? Dose,
    string? DoseUnit,
    string? Route) : IPatientEvent;
