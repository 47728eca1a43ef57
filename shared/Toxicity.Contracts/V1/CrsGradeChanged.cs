namespace Toxicity.Contracts.V1;

/// <summary>
/// A patient's current ASTCT CRS grade changed. Published by Grading only when the grade differs from the last one
/// it published for the patient; <see cref="EventId"/> is derived from <see cref="CausedByEventId"/> (the observation
/// whose arrival changed it), so a redelivered cause republishes the same fact. <see cref="ObservedAt"/> is the
/// clinical time of the patient's latest observation, the time the new grade holds from.
/// <see cref="EpisodeMaximumGrade"/> is the highest ASTCT grade of the current episode; <see cref="CtcaeGrade"/> is the
/// CTCAE v5.0 grade beside it (null when it cannot be determined; <see cref="CtcaeCriteria"/> then carries the range).
/// Appended with rule set <c>astct-2019/2</c> (null from earlier publishers: not known): <see cref="LowerBound"/> true
/// means "at least <see cref="NewGrade"/>" (a reading that could raise it is missing); <see cref="Provisional"/> true means
/// possible CRS under premedication, for a clinician to confirm; <see cref="Stale"/> true means the grade is kept from
/// readings that are no longer current; <see cref="CtcaeLowerBound"/> is the CTCAE grade's own lower-bound flag.
/// </summary>
public sealed record CrsGradeChanged(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    Guid CausedByEventId,
    int PreviousGrade,
    int NewGrade,
    string RuleSet,
    IReadOnlyList<string> Criteria,
    int? EpisodeMaximumGrade = null,
    int? CtcaeGrade = null,
    string? CtcaeRuleSet = null,
    IReadOnlyList<string>? CtcaeCriteria = null,
    bool? LowerBound = null,
    bool? Provisional = null,
    bool? Stale = null,
    bool? CtcaeLowerBound = null) : IPatientEvent;
