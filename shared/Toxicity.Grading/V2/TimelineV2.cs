using Toxicity.Grading.Timeline;

namespace Toxicity.Grading.V2;

/// <summary>
/// One point of the /2 timeline: the observation (or clock review), what was known after it, the engine's result from
/// the readings current at its time, the grades shown (kept from earlier when only staleness would lower them), the
/// readings owed, and whether the point closed an episode. The result is null only while the age is not known.
/// </summary>
public sealed record TimelinePointV2(
    Observation Observation,
    TimelineStateV2 State,
    GradingResult? Result,
    IReadOnlyList<OverdueReading> Overdue,
    string? NotGradableReason,
    EpisodeClosure? Closure)
{
    public ShownGrade? Crs => State.Crs;

    public ShownGrade? Icans => State.Icans;
}

/// <summary>An episode that closed at a point: normally (C2-EP-2: 72 h after its last finding, on current normal readings) or unobserved (14 days without any observation).</summary>
public sealed record EpisodeClosure(int Episode, DateTimeOffset OpenedAt, DateTimeOffset ClosedAt, bool Unobserved, CrsGrade? CrsMaximum, IcansGrade? IcansMaximum);

/// <summary>What had been shown from <see cref="At"/> (the earliest point that changed), before and after a late observation.</summary>
public sealed record CorrectionV2(DateTimeOffset At, int? From, int? To);

/// <summary>The effect of one new observation on the earlier points: the corrections per scale (null: none).</summary>
public sealed record TimelineUpdateV2(CorrectionV2? Crs, CorrectionV2? Icans)
{
    public static readonly TimelineUpdateV2 None = new(null, null);
}

/// <summary>
/// One observation kept in the timeline's window, with what its point showed and closed (to find corrections without
/// keeping the points themselves).
/// </summary>
public sealed record WindowEntry(Observation Observation, int? Crs, int? Icans, EpisodeClosure? Closure);

/// <summary>
/// A patient's observations and clock reviews in clinical-time order, each graded under rule set <c>astct-2019/2</c>
/// from the state the ones before it left (CLINICAL-RULES.md §8.2-§8.4; docs/grading-timeline.md). A late observation
/// is inserted at its time and the ones after it are graded again, so the result is the same whatever order they arrived
/// in. <b>Bounded</b> (C2-CMP-1): only the observations of <see cref="GradingWindows.CorrectionHorizon"/> before the
/// latest one are kept (with the grades their points showed), on top of the state that the older ones left (the
/// <see cref="Base"/>); the older ones are folded into it and dropped, with the episodes they closed kept as summaries.
/// One that arrives later than the horizon is merged into the base where it is newer than what is known. Pure: no
/// clock, no I/O; time is the observations' clinical time.
/// </summary>
public sealed class TimelineV2(GradingWindows windows)
{
    private readonly List<WindowEntry> _window = [];
    private readonly List<EpisodeClosure> _closedBefore = [];
    private TimelineStateV2 _base = TimelineStateV2.Empty;
    private DateTimeOffset? _baseAt;
    private PatientDetailsObservation? _firstDetails;
    private TimelinePointV2? _current;

    public GradingWindows Windows { get; } = windows ?? throw new ArgumentNullException(nameof(windows));

    /// <summary>The latest point in clinical time: the patient's current grades.</summary>
    public TimelinePointV2? Current => _current;

    /// <summary>The observations kept (those within the correction horizon of the latest one), in clinical-time order.</summary>
    public IReadOnlyList<WindowEntry> Window => _window;

    /// <summary>The state the observations before the window left, and the time of the last of them (null: none compacted).</summary>
    public (TimelineStateV2 State, DateTimeOffset? At) Base => (_base, _baseAt);

    /// <summary>Every episode closed so far, oldest first: those of compacted observations, then those of the window.</summary>
    public IEnumerable<EpisodeClosure> Closures => _closedBefore.Concat(_window.Select(w => w.Closure).OfType<EpisodeClosure>());

    /// <summary>How many observations (not reviews) and clock reviews the timeline has taken, compacted ones included.</summary>
    public (int Observations, int Reviews) Counts { get; private set; }

    /// <summary>Whether the window holds the observation <paramref name="observationId"/> (a few dozen: a scan).</summary>
    public bool Contains(Guid observationId) => _window.Exists(w => w.Observation.Id == observationId);

    /// <summary>The first recorded age, which points before the first details take (T-7).</summary>
    public double? FallbackAge => _firstDetails?.AgeYears;

    /// <summary>Puts <paramref name="observation"/> on the timeline and grades what it changes; null for a duplicate (T-1).</summary>
    public TimelineUpdateV2? Add(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (Contains(observation.Id))
        {
            return null;
        }

        Counts = observation is ReviewObservation ? Counts with { Reviews = Counts.Reviews + 1 } : Counts with { Observations = Counts.Observations + 1 };
        TimelineUpdateV2 update;
        if (_current is null || Compare(_current.Observation, observation) < 0)
        {
            // In order (the common case): one step from the current state.
            if (observation is PatientDetailsObservation details && _firstDetails is null)
            {
                _firstDetails = details;
            }

            var point = FoldV2.Step(_current?.State ?? _base, observation, FallbackAge, Windows);
            _window.Add(Entry(point));
            _current = point;
            update = TimelineUpdateV2.None;
        }
        else if (_baseAt is not { } baseAt || observation.At > baseAt)
        {
            var index = InsertionIndex(observation);
            _window.Insert(index, new WindowEntry(observation, null, null, null));
            var from = index;
            if (observation is PatientDetailsObservation details && (_firstDetails is null || Compare(details, _firstDetails) < 0))
            {
                _firstDetails = details; // T-7: points before the first details take its age
                from = 0;
            }

            update = Regrade(from, observation.Id);
        }
        else
        {
            // C2-CMP-1: later than the horizon: merged into the base where it is newer, the window graded again on it.
            _base = FoldV2.Merge(_base, observation, Windows);
            update = Regrade(0, Guid.Empty);
        }

        Compact();
        return update;
    }

    /// <summary>
    /// A timeline as saved (<see cref="Base"/>, <see cref="Window"/>, the first details, the episodes closed before the
    /// window, the counts): the window's points are graded again from the base, which gives back <see cref="Current"/>.
    /// </summary>
    public static TimelineV2 Restore(GradingWindows windows, TimelineStateV2 baseState, DateTimeOffset? baseAt, IEnumerable<Observation> window,
        PatientDetailsObservation? firstDetails, IEnumerable<EpisodeClosure> closedBefore, (int Observations, int Reviews) counts)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(closedBefore);
        var timeline = new TimelineV2(windows) { _base = baseState, _baseAt = baseAt, _firstDetails = firstDetails, Counts = counts };
        timeline._closedBefore.AddRange(closedBefore);
        var state = baseState;
        foreach (var observation in window)
        {
            var point = FoldV2.Step(state, observation, timeline.FallbackAge, windows);
            timeline._window.Add(Entry(point));
            timeline._current = point;
            state = point.State;
        }

        return timeline;
    }

    /// <summary>The closures recorded before the window (for saving).</summary>
    public IReadOnlyList<EpisodeClosure> ClosedBefore => _closedBefore;

    /// <summary>The first details recorded (for saving).</summary>
    public PatientDetailsObservation? FirstDetails => _firstDetails;

    private static WindowEntry Entry(TimelinePointV2 point) => new(point.Observation, point.Crs?.Grade, point.Icans?.Grade, point.Closure);

    // C2-CMP-1: observations older than the horizon before the latest one are folded into the base and dropped.
    private void Compact()
    {
        var horizon = _current!.Observation.At - Windows.CorrectionHorizon;
        var compacted = 0;
        while (compacted < _window.Count - 1 && _window[compacted].Observation.At < horizon)
        {
            compacted++;
        }

        if (compacted == 0)
        {
            return;
        }

        var state = _base;
        for (var i = 0; i < compacted; i++)
        {
            var entry = _window[i];
            state = FoldV2.Step(state, entry.Observation, FallbackAge, Windows).State;
            if (entry.Closure is { } closure)
            {
                _closedBefore.Add(closure);
            }
        }

        _base = state;
        _baseAt = _window[compacted - 1].Observation.At;
        _window.RemoveRange(0, compacted);
    }

    private int InsertionIndex(Observation observation)
    {
        var low = 0;
        var high = _window.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (Compare(_window[middle].Observation, observation) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    // T-1: clinical time, then event id.
    private static int Compare(Observation a, Observation b)
    {
        var byTime = a.At.CompareTo(b.At);
        return byTime != 0 ? byTime : a.Id.CompareTo(b.Id);
    }

    /// <summary>Grades the window again from the base; the first point at or after <paramref name="from"/> whose grade changed is a correction.</summary>
    private TimelineUpdateV2 Regrade(int from, Guid added)
    {
        var state = _base;
        CorrectionV2? crs = null, icans = null;
        WindowEntry? previous = null;
        TimelinePointV2? point = null;
        for (var i = 0; i < _window.Count; i++)
        {
            var old = _window[i];
            point = FoldV2.Step(state, old.Observation, FallbackAge, Windows);
            var entry = Entry(point);
            _window[i] = entry;
            state = point.State;

            // What this point showed before: the point itself, or for the one added the point before it.
            var was = old.Observation.Id == added ? previous : old;
            previous = old;
            if (i < from || i == _window.Count - 1 || was is null)
            {
                continue;
            }

            if (crs is null && was.Crs != entry.Crs)
            {
                crs = new CorrectionV2(point.Observation.At, was.Crs, entry.Crs);
            }

            if (icans is null && was.Icans != entry.Icans)
            {
                icans = new CorrectionV2(point.Observation.At, was.Icans, entry.Icans);
            }
        }

        _current = point;
        return new TimelineUpdateV2(crs, icans);
    }
}
