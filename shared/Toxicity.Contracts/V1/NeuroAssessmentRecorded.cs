namespace Toxicity.Contracts.V1;

/// <summary>
/// A ward recorded a neurological assessment: the ICE total (0-10, given or computed from its items), the CAPD score
/// for children (0-32), and the findings of the other ICANS domains as their API v1 codes (e.g. <c>awakensToVoice</c>).
/// Published by Ingestion; null means "not assessed". <see cref="Sedated"/> (appended) says the assessment was made under
/// sedation, so that consciousness and the score are not assessable (CLINICAL-RULES.md §8.1 C2-SED-1); null: not reported.
/// </summary>
public sealed record NeuroAssessmentRecorded(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    int? IceScore,
    int? CapdScore,
    string? Consciousness,
    string? Seizure,
    string? Motor,
    string? CerebralEdema,
    bool? Sedated = null) : IPatientEvent;
