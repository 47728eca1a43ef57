namespace Toxicity.Grading.Timeline;

/// <summary>The two ASTCT scales Grading publishes changes of.</summary>
public enum GradeScale
{
    Crs,
    Icans,
}

/// <summary>
/// A change of a patient's current ASTCT grade, to be published once (docs/grading-timeline.md T-10): caused by the
/// observation whose arrival changed it. <see cref="Point"/> is the current point, with every scale's result.
/// </summary>
public sealed record GradeChange(GradeScale Scale, Observation Cause, int PreviousGrade, int NewGrade, int EpisodeMaximumGrade, TimelinePoint Point);

/// <summary>
/// What the history of a patient's grades records: a published change, a correction of an earlier time, or (rule set
/// /2) a refinement: a lower bound that became exact at the same number, or the reverse, recorded but not published.
/// </summary>
public enum GradeHistoryKind
{
    Change,
    Correction,
    Refinement,
}

/// <summary>
/// One entry of a patient's grade history. A change: the current grade went from <see cref="From"/> to <see cref="To"/>
/// because <see cref="CausedBy"/> arrived. A correction: a late observation (<see cref="CausedBy"/>) changed what the grade
/// had been from <see cref="At"/> on (the earliest point it changed), from <see cref="From"/> to <see cref="To"/>.
/// Under rule set /2 the new grade may be a <see cref="LowerBound"/> or <see cref="Provisional"/>.
/// </summary>
public sealed record GradeHistoryEntry(
    GradeScale Scale,
    GradeHistoryKind Kind,
    Guid CausedBy,
    DateTimeOffset At,
    int? From,
    int? To,
    bool LowerBound = false,
    bool Provisional = false);

/// <summary>
/// A patient's grades over time and the decisions about what to publish (T-10). Each observation is graded on the
/// timeline; when the current grade of a scale differs from the last one decided for publication, a change is
/// decided, exactly once per cause: a duplicate observation changes nothing. Deterministic: the same observations in
/// the same arrival order give the same decisions in any process, which is what lets every instance rebuild them from
/// the event log. Pure: no clock, no I/O; not thread-safe (one patient is handled by one caller at a time).
/// </summary>
public sealed class PatientGrades
{
    private readonly List<GradeHistoryEntry> _history = [];

    public PatientTimeline Timeline { get; } = new();

    /// <summary>The ASTCT CRS grade last decided for publication (0 before any).</summary>
    public CrsGrade DecidedCrs { get; private set; }

    /// <summary>The ASTCT ICANS grade last decided for publication (0 before any).</summary>
    public IcansGrade DecidedIcans { get; private set; }

    public IReadOnlyList<GradeHistoryEntry> History => _history;

    /// <summary>Puts <paramref name="observation"/> on the timeline; returns the changes to publish (none for a duplicate).</summary>
    public IReadOnlyList<GradeChange> Record(Observation observation)
    {
        if (Timeline.Add(observation) is not { } update)
        {
            return [];
        }

        if (update.Crs is { } crs)
        {
            _history.Add(new GradeHistoryEntry(GradeScale.Crs, GradeHistoryKind.Correction, observation.Id, crs.At, crs.From, crs.To));
        }

        if (update.Icans is { } icans)
        {
            _history.Add(new GradeHistoryEntry(GradeScale.Icans, GradeHistoryKind.Correction, observation.Id, icans.At, icans.From, icans.To));
        }

        return Decide(observation);
    }

    private List<GradeChange> Decide(Observation cause)
    {
        var changes = new List<GradeChange>(2);
        var current = Timeline.Current!;
        // A null grade ("not gradable") is never published: it is not a grade (C-CRS-2, C-ICANS-3).
        if (current.Crs is { } crs && crs != DecidedCrs)
        {
            var maximum = current.State.CrsEpisodeMaximum ?? crs;
            changes.Add(new GradeChange(GradeScale.Crs, cause, (int)DecidedCrs, (int)crs, (int)maximum, current));
            _history.Add(new GradeHistoryEntry(GradeScale.Crs, GradeHistoryKind.Change, cause.Id, current.Observation.At, (int)DecidedCrs, (int)crs));
            DecidedCrs = crs;
        }

        if (current.Icans is { } icans && icans != DecidedIcans)
        {
            var maximum = current.State.IcansEpisodeMaximum ?? icans;
            changes.Add(new GradeChange(GradeScale.Icans, cause, (int)DecidedIcans, (int)icans, (int)maximum, current));
            _history.Add(new GradeHistoryEntry(GradeScale.Icans, GradeHistoryKind.Change, cause.Id, current.Observation.At, (int)DecidedIcans, (int)icans));
            DecidedIcans = icans;
        }

        return changes;
    }
}
