namespace Toxicity.Contracts.V1;

/// <summary>
/// A patient's current ASTCT ICANS grade changed. Published by Grading only when the grade differs from the last one
/// it published for the patient; <see cref="EventId"/> is derived from <see cref="CausedByEventId"/>, as for
/// <see cref="CrsGradeChanged"/>. <see cref="EpisodeMaximumGrade"/> is the highest ICANS grade of the current episode.
/// Appended with rule set <c>astct-2019/2</c> (null from earlier publishers), as on <see cref="CrsGradeChanged"/>:
/// <see cref="LowerBound"/> ("at least", e.g. awakens to voice with no ICE charted), <see cref="Provisional"/> and <see cref="Stale"/>.
/// </summary>
public sealed record IcansGradeChanged(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    Guid CausedByEventId,
    int PreviousGrade,
    int NewGrade,
    int EpisodeMaximumGrade,
    string RuleSet,
    IReadOnlyList<string> Criteria,
    bool? LowerBound = null,
    bool? Provisional = null,
    bool? Stale = null) : IPatientEvent;
