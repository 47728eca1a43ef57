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

/// <summary>The effect of one new observation on the earlier points: where grading started again, and the corrections per scale.</summary>
public sealed record TimelineUpdateV2(int RegradedFrom, CorrectionV2? Crs, CorrectionV2? Icans);

/// <summary>
/// A patient's observations and clock reviews in clinical-time order, each point graded under rule set
/// <c>astct-2019/2</c> from the state the points before it left (CLINICAL-RULES.md §8.2-§8.4; docs/grading-timeline.md).
/// A late observation is inserted at its time and the points after it are graded again, so the result is the same
/// whatever order the observations arrived in. Pure: no clock, no I/O; time is the points' clinical time.
/// </summary>
public sealed class TimelineV2(GradingWindows windows)
{
    private const string AgeUnknown = "the patient's age is not known yet (no admission or details recorded)";

    private readonly List<TimelinePointV2> _points = [];
    private readonly HashSet<Guid> _ids = [];
    private PatientDetailsObservation? _firstDetails;

    public GradingWindows Windows { get; } = windows ?? throw new ArgumentNullException(nameof(windows));

    public IReadOnlyList<TimelinePointV2> Points => _points;

    /// <summary>The latest point in clinical time: the patient's current grades.</summary>
    public TimelinePointV2? Current => _points.Count == 0 ? null : _points[^1];

    public bool Contains(Guid observationId) => _ids.Contains(observationId);

    /// <summary>The first recorded age, which points before the first details take (T-7).</summary>
    public double? FallbackAge => _firstDetails?.AgeYears;

    /// <summary>Inserts <paramref name="observation"/> at its time and grades again from there; null for a duplicate (T-1).</summary>
    public TimelineUpdateV2? Add(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (!_ids.Add(observation.Id))
        {
            return null;
        }

        var index = InsertionIndex(observation);
        _points.Insert(index, new TimelinePointV2(observation, TimelineStateV2.Empty, null, [], null, null));
        var from = index;
        if (observation is PatientDetailsObservation details && (_firstDetails is null || Compare(details, _firstDetails) < 0))
        {
            _firstDetails = details; // T-7: points before the first details take its age
            from = 0;
        }

        return Regrade(from, observation.Id);
    }

    private int InsertionIndex(Observation observation)
    {
        var low = 0;
        var high = _points.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (Compare(_points[middle].Observation, observation) < 0)
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

    private TimelineUpdateV2 Regrade(int from, Guid added)
    {
        var fallbackAge = _firstDetails?.AgeYears;
        var state = from == 0 ? TimelineStateV2.Empty : _points[from - 1].State;
        CorrectionV2? crs = null, icans = null;
        var previous = from == 0 ? null : _points[from - 1];
        for (var i = from; i < _points.Count; i++)
        {
            var old = _points[i];
            var point = FoldV2.Step(state, old.Observation, fallbackAge, Windows);
            _points[i] = point;
            state = point.State;

            var was = old.Observation.Id == added ? previous : old;
            previous = old;
            if (i == _points.Count - 1 || was is null)
            {
                continue;
            }

            if (crs is null && was.Crs?.Grade != point.Crs?.Grade)
            {
                crs = new CorrectionV2(point.Observation.At, was.Crs?.Grade, point.Crs?.Grade);
            }

            if (icans is null && was.Icans?.Grade != point.Icans?.Grade)
            {
                icans = new CorrectionV2(point.Observation.At, was.Icans?.Grade, point.Icans?.Grade);
            }
        }

        return new TimelineUpdateV2(from, crs, icans);
    }
}
