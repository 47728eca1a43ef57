using Toxicity.Grading.Timeline;

namespace Toxicity.Grading.V2;

/// <summary>A change of a patient's published grade (rule set /2): caused by <see cref="Cause"/>, from the number last published to <see cref="Grade"/>.</summary>
public sealed record GradeChangeV2(GradeScale Scale, Observation Cause, int PreviousGrade, ShownGrade Grade, int EpisodeMaximumGrade, TimelinePointV2 Point);

/// <summary>What an overdue-observation notice says (C2-OD-1): overdue (first tier), still overdue 2 h later (next tier), or cleared.</summary>
public enum OverdueStatus
{
    Overdue,
    StillOverdue,
    Cleared,
}

/// <summary>An overdue-observation notice to publish once (C2-OD-1), caused by <see cref="Cause"/>.</summary>
public sealed record OverdueNotice(ReadingKind Reading, OverdueStatus Status, Observation Cause, DateTimeOffset Since, OverdueReason? Reason, DateTimeOffset? LastObservedAt);

/// <summary>
/// A change of the CTCAE v5.0 CRS number last published, caused by <see cref="Cause"/> (issue 15: a label that grades on
/// CTCAE follows it, whether or not the ASTCT grade changed with it).
/// </summary>
public sealed record CtcaeChangeV2(Observation Cause, int PreviousGrade, int Grade, bool LowerBound, TimelinePointV2 Point);

/// <summary>What one new point decides: grade changes (ASTCT, then CTCAE) and overdue notices, each to be published once.</summary>
public sealed record GradingDecisions(IReadOnlyList<GradeChangeV2> Changes, IReadOnlyList<OverdueNotice> Notices, IReadOnlyList<CtcaeChangeV2>? CtcaeChanges = null)
{
    public static readonly GradingDecisions None = new([], []);

    public IReadOnlyList<CtcaeChangeV2> Ctcae => CtcaeChanges ?? [];

    public bool IsEmpty => Changes.Count == 0 && Notices.Count == 0 && Ctcae.Count == 0;
}

/// <summary>
/// A patient's /2 grades as saved (issue 16): the timeline's base state, window and summaries, and what was decided
/// for publication. <see cref="PatientGradesV2.Restore"/> gives back the same patient.
/// </summary>
public sealed record PatientGradesV2State(
    TimelineStateV2 Base,
    DateTimeOffset? BaseAt,
    IReadOnlyList<Observation> Window,
    PatientDetailsObservation? FirstDetails,
    IReadOnlyList<EpisodeClosure> ClosedBefore,
    int Observations,
    int Reviews,
    DateTimeOffset? ReviewsFrom,
    IReadOnlyList<GradeHistoryEntry> History,
    IReadOnlyList<OverdueDecided> Overdue,
    int Crs,
    bool CrsLowerBound,
    bool CrsProvisional,
    int Icans,
    bool IcansLowerBound,
    bool IcansProvisional,
    int Ctcae);

/// <summary>An overdue notice decided for a reading: the tier reached and when.</summary>
public sealed record OverdueDecided(ReadingKind Reading, OverdueStatus Status, DateTimeOffset At);

/// <summary>A time the clock must review the patient at (C2-CLK-1): why, and when (clinical time).</summary>
public sealed record ReviewDue(string Kind, DateTimeOffset Due);

/// <summary>
/// A patient's grades over time under rule set <c>astct-2019/2</c> and the decisions about what to publish
/// (CLINICAL-RULES.md §8.1 "a change of the published grade is a change of its number … or of a provisional flag";
/// C2-LB-0; C2-OD-1; C2-CLK-1). Each observation or review is graded on the <see cref="TimelineV2"/>; the current point
/// then decides the grade changes and overdue notices still to publish, exactly once per cause. It also says when the
/// clock must next review the patient: the earliest time at which a review would decide something. Deterministic: the
/// same points in the same arrival order give the same decisions in any process. Pure; not thread-safe.
/// </summary>
public sealed class PatientGradesV2
{
    private readonly List<GradeHistoryEntry> _history = [];
    private readonly Dictionary<ReadingKind, (OverdueStatus Status, DateTimeOffset At)> _overdue = [];
    private Decided _crs = Decided.Zero;
    private Decided _icans = Decided.Zero;
    private int _ctcae;

    /// <param name="windows">The site's windows (§8.2-§8.4).</param>
    /// <param name="reviewsFrom">
    /// The cut-over to this rule set (<c>RuleSetAdopted</c>, §8.5): reviews due before it are never made, so replaying an
    /// older log never fires old reviews as new notices. Null: no limit.
    /// </param>
    public PatientGradesV2(GradingWindows windows, DateTimeOffset? reviewsFrom = null)
    {
        Timeline = new TimelineV2(windows);
        ReviewsFrom = reviewsFrom;
    }

    public TimelineV2 Timeline { get; private set; }

    /// <summary>This patient as saved: restoring it gives back the same grades, decisions and next review.</summary>
    public PatientGradesV2State Save()
    {
        var (state, at) = Timeline.Base;
        return new PatientGradesV2State(state, at, [.. Timeline.Window.Select(w => w.Observation)], Timeline.FirstDetails, [.. Timeline.ClosedBefore],
            Timeline.Counts.Observations, Timeline.Counts.Reviews, ReviewsFrom, [.. _history],
            [.. _overdue.Select(o => new OverdueDecided(o.Key, o.Value.Status, o.Value.At))],
            _crs.Grade, _crs.LowerBound, _crs.Provisional, _icans.Grade, _icans.LowerBound, _icans.Provisional, _ctcae);
    }

    /// <summary>The patient <paramref name="saved"/> (<see cref="Save"/>), its window graded again from the base.</summary>
    public static PatientGradesV2 Restore(PatientGradesV2State saved, GradingWindows windows)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var grades = new PatientGradesV2(windows, saved.ReviewsFrom)
        {
            Timeline = TimelineV2.Restore(windows, saved.Base, saved.BaseAt, saved.Window, saved.FirstDetails, saved.ClosedBefore, (saved.Observations, saved.Reviews)),
        };
        grades._history.AddRange(saved.History);
        foreach (var overdue in saved.Overdue)
        {
            grades._overdue[overdue.Reading] = (overdue.Status, overdue.At);
        }

        grades._crs = new Decided(saved.Crs, saved.CrsLowerBound, saved.CrsProvisional);
        grades._icans = new Decided(saved.Icans, saved.IcansLowerBound, saved.IcansProvisional);
        grades._ctcae = saved.Ctcae;
        grades._nextReviewStale = true;
        return grades;
    }

    public DateTimeOffset? ReviewsFrom
    {
        get => _reviewsFrom;
        set
        {
            _reviewsFrom = value;
            _nextReviewStale = true;
        }
    }

    private DateTimeOffset? _reviewsFrom;

    /// <summary>The ASTCT CRS grade last decided for publication (0 before any).</summary>
    public int DecidedCrs => _crs.Grade;

    /// <summary>The ASTCT ICANS grade last decided for publication (0 before any).</summary>
    public int DecidedIcans => _icans.Grade;

    public IReadOnlyList<GradeHistoryEntry> History => _history;

    /// <summary>The episodes closed so far, oldest first (C2-EP-2), with the reason: read from the points, so late observations correct them too.</summary>
    public IEnumerable<EpisodeClosure> Closures => Timeline.Closures;

    /// <summary>The readings notified as overdue and not cleared yet, with the tier reached.</summary>
    public IReadOnlyDictionary<ReadingKind, (OverdueStatus Status, DateTimeOffset At)> Overdue => _overdue;

    /// <summary>The earliest review that would decide something (null: none); recomputed after every point.</summary>
    public ReviewDue? NextReview
    {
        get
        {
            // Found when asked (the clock, a snapshot), not at every point: a replay of the log grades fast.
            if (_nextReviewStale)
            {
                _nextReview = Timeline.Current is { } current ? FindNextReview(current) : null;
                _nextReviewStale = false;
            }

            return _nextReview;
        }
    }

    private ReviewDue? _nextReview;
    private bool _nextReviewStale;

    /// <summary>Puts <paramref name="observation"/> on the timeline and returns what to publish (nothing for a duplicate).</summary>
    public GradingDecisions Record(Observation observation) => Record(observation, decide: true);

    /// <summary>
    /// Puts <paramref name="observation"/> on the timeline without deciding anything: for the points recorded before the
    /// cut-over to this rule set, whose publications were decided under the rule set of their time (§8.5).
    /// </summary>
    public void Replay(Observation observation) => Record(observation, decide: false);

    /// <summary>The grades published under the earlier rule set, as the baseline of this one's first decisions (§8.5).</summary>
    public void Adopt(int crs, int icans, IEnumerable<GradeHistoryEntry> history)
    {
        _crs = new Decided(crs, false, false);
        _icans = new Decided(icans, false, false);
        _history.AddRange(history);
    }

    private GradingDecisions Record(Observation observation, bool decide)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (Timeline.Add(observation) is not { } update)
        {
            return GradingDecisions.None;
        }

        if (update.Crs is { } crs)
        {
            _history.Add(new GradeHistoryEntry(GradeScale.Crs, GradeHistoryKind.Correction, observation.Id, crs.At, crs.From, crs.To));
        }

        if (update.Icans is { } icans)
        {
            _history.Add(new GradeHistoryEntry(GradeScale.Icans, GradeHistoryKind.Correction, observation.Id, icans.At, icans.From, icans.To));
        }

        var current = Timeline.Current!;
        var decisions = GradingDecisions.None;
        if (decide)
        {
            decisions = Decide(current, observation, commit: true);
        }

        _nextReviewStale = true;
        return decisions;
    }

    private GradingDecisions Decide(TimelinePointV2 current, Observation cause, bool commit)
    {
        var changes = new List<GradeChangeV2>(2);
        Change(GradeScale.Crs, current.Crs, ref _crs, (int?)current.State.CrsEpisodeMaximum);
        Change(GradeScale.Icans, current.Icans, ref _icans, (int?)current.State.IcansEpisodeMaximum);

        var notices = new List<OverdueNotice>();
        var owed = current.Overdue.ToDictionary(o => o.Reading);
        foreach (var (reading, overdue) in owed)
        {
            if (!_overdue.TryGetValue(reading, out var notified))
            {
                notices.Add(new OverdueNotice(reading, OverdueStatus.Overdue, cause, overdue.Since, overdue.Reason, overdue.LastObservedAt));
            }
            else if (notified.Status == OverdueStatus.Overdue && current.Observation.At >= notified.At + Timeline.Windows.OverdueNextTier)
            {
                notices.Add(new OverdueNotice(reading, OverdueStatus.StillOverdue, cause, overdue.Since, overdue.Reason, overdue.LastObservedAt));
            }
        }

        notices.AddRange(_overdue.Keys.Where(r => !owed.ContainsKey(r)).Order()
            .Select(r => new OverdueNotice(r, OverdueStatus.Cleared, cause, current.Observation.At, null, null)));

        if (commit)
        {
            foreach (var notice in notices)
            {
                if (notice.Status == OverdueStatus.Cleared)
                {
                    _overdue.Remove(notice.Reading);
                }
                else
                {
                    _overdue[notice.Reading] = (notice.Status, current.Observation.At);
                }
            }
        }

        var ctcae = new List<CtcaeChangeV2>(1);
        // The CTCAE number beside ASTCT: a rise is published whenever it is known; a fall only on readings that are all
        // current (§8.2: missing or old data never lowers a grade); an undetermined grade never.
        if (current.Result?.CtcaeCrs is { Grade: { } ctcaeGrade } ctcaeResult
            && (int)ctcaeGrade != _ctcae
            && ((int)ctcaeGrade > _ctcae || !ctcaeResult.LowerBound))
        {
            ctcae.Add(new CtcaeChangeV2(cause, _ctcae, (int)ctcaeGrade, ctcaeResult.LowerBound, current));
            if (commit)
            {
                _ctcae = (int)ctcaeGrade;
            }
        }

        return changes.Count == 0 && notices.Count == 0 && ctcae.Count == 0 ? GradingDecisions.None : new GradingDecisions(changes, notices, ctcae);

        void Change(GradeScale scale, ShownGrade? shown, ref Decided decided, int? episodeMaximum)
        {
            // C2-LB-0: a lower bound of 0 is "not assessed", never published as 0; a null grade is never published.
            if (shown is null || shown.NotAssessed)
            {
                return;
            }

            if (shown.Grade != decided.Grade || shown.Provisional != decided.Provisional)
            {
                changes.Add(new GradeChangeV2(scale, cause, decided.Grade, shown, episodeMaximum ?? shown.Grade, current));
                if (commit)
                {
                    _history.Add(new GradeHistoryEntry(scale, GradeHistoryKind.Change, cause.Id, current.Observation.At, decided.Grade, shown.Grade,
                        shown.LowerBound, shown.Provisional));
                    decided = new Decided(shown.Grade, shown.LowerBound, shown.Provisional);
                }
            }
            else if (shown.LowerBound != decided.LowerBound && commit)
            {
                // §8.1: a lower bound becoming exact at the same number (or the reverse) is recorded, not published.
                _history.Add(new GradeHistoryEntry(scale, GradeHistoryKind.Refinement, cause.Id, current.Observation.At, decided.Grade, shown.Grade,
                    shown.LowerBound, shown.Provisional));
                decided = decided with { LowerBound = shown.LowerBound };
            }
        }
    }

    /// <summary>
    /// C2-CLK-1: the earliest time after the current point at which a review would decide something: a reading going
    /// stale or unconfirmed, a masking or risk window ending, an overdue notice's next tier, the episode's closure.
    /// Each candidate is tried as a point of its own (the same fold, nothing kept); the first that decides is due.
    /// </summary>
    private ReviewDue? FindNextReview(TimelinePointV2 current)
    {
        if (current.Result is null)
        {
            return null;
        }

        var at = current.Observation.At;
        var state = current.State;
        var windows = Timeline.Windows;
        var candidates = new List<ReviewDue>();
        void Candidate(string kind, DateTimeOffset? due)
        {
            if (due is { } time && time > at && (ReviewsFrom is not { } from || time >= from))
            {
                candidates.Add(new ReviewDue(kind, time));
            }
        }

        foreach (var (reading, due) in OverdueReadings.DueAfter(state, at, windows))
        {
            Candidate($"{Kebab(reading.ToString())}-due", due);
        }

        foreach (var (reading, (status, notifiedAt)) in _overdue)
        {
            if (status == OverdueStatus.Overdue)
            {
                Candidate($"{Kebab(reading.ToString())}-overdue-next-tier", notifiedAt + windows.OverdueNextTier);
            }
        }

        Candidate("masking-ends", state.MaskingEnd);
        Candidate("risk-window-ends", state.RiskWindowEnd(windows));
        Candidate("hypotensive-stale", state.Hypotensive?.At + windows.Hypotensive);
        Candidate("seizure-expires", state.Seizure is { Value: not Seizure.None } s ? s.At + windows.Seizure : null);
        if (state is { EpisodeOpenedAt: not null, LastFindingAt: { } finding })
        {
            Candidate("episode-closure", finding + windows.EpisodeResolution);
            Candidate("episode-unobserved", state.LastObservationAt + windows.EpisodeUnobserved);
        }

        // One review covers every candidate due at its time: its kind names them all.
        var fallbackAge = Timeline.FallbackAge;
        foreach (var due in candidates.GroupBy(c => c.Due).OrderBy(g => g.Key))
        {
            var kind = string.Join('+', due.Select(c => c.Kind).Distinct().Order(StringComparer.Ordinal));
            var probe = FoldV2.Step(state, new ReviewObservation(Guid.Empty, due.Key, kind), fallbackAge, windows);
            if (probe.Closure is not null || !Decide(probe, probe.Observation, commit: false).IsEmpty)
            {
                return new ReviewDue(kind, due.Key);
            }
        }

        return null;
    }

    private static string Kebab(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>What was last decided for publication on one scale.</summary>
    private readonly record struct Decided(int Grade, bool LowerBound, bool Provisional)
    {
        public static readonly Decided Zero = new(0, false, false);
    }
}
