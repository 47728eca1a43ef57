namespace Toxicity.Contracts.V1;

/// <summary>
/// Alerting raised an alert for clinicians because of a grade change. Published by Alerting;
/// <see cref="EventId"/> is derived from <see cref="CausedByEventId"/> and is also the alert's id.
/// <see cref="Severity"/> is one of <c>info</c>, <c>warning</c>, <c>critical</c> (CDS Hooks indicator); <see cref="Kind"/> is
/// <c>alert</c> (pages <see cref="Tier"/>) or <c>notice</c> (an improvement: shown, never paged); <see cref="Ward"/> is the
/// patient's ward when known. Appended with rule set <c>astct-2019/2</c> (null from earlier publishers): <see cref="LowerBound"/>
/// ("at least <see cref="NewGrade"/>") and <see cref="Provisional"/> (possible CRS, for a clinician to confirm), as on the grade change.
/// </summary>
public sealed record AlertRaised(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    Guid CausedByEventId,
    string Scale,
    int PreviousGrade,
    int NewGrade,
    string Severity,
    string Summary,
    string? Kind = null,
    string? Tier = null,
    string? Ward = null,
    bool? LowerBound = null,
    bool? Provisional = null) : IPatientEvent;
