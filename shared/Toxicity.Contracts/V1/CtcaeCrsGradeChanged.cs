namespace Toxicity.Contracts.V1;

/// <summary>
/// A patient's CTCAE v5.0 CRS grade changed (rule set <c>astct-2019/2</c> onwards). Grading publishes it whenever the
/// CTCAE number differs from the last one it published, whether or not the ASTCT grade changed with it: a label that
/// grades CRS on CTCAE (blinatumomab) follows this grade (issue 15). <see cref="EventId"/> is derived from
/// <see cref="CausedByEventId"/>; <see cref="ObservedAt"/> is the clinical time the grade holds from; <see cref="LowerBound"/>
/// true means "at least <see cref="NewGrade"/>".
/// </summary>
public sealed record CtcaeCrsGradeChanged(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    Guid CausedByEventId,
    int PreviousGrade,
    int NewGrade,
    string RuleSet,
    IReadOnlyList<string> Criteria,
    bool LowerBound) : IPatientEvent;
