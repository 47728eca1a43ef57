namespace Toxicity.Grading.Timeline;

/// <summary>
/// One point of the timeline: an observation, what was known after it, and the grades of that snapshot. The result
/// is null only when the patient's age is not known yet (<see cref="NotGradableReason"/> says so).
/// </summary>
public sealed record TimelinePoint(Observation Observation, TimelineState State, GradingResult? Result, string? NotGradableReason)
{
    public CrsGrade? Crs => Result?.AstctCrs.Grade;

    public IcansGrade? Icans => Result?.AstctIcans.Grade;
}

/// <summary>What the grade had been from <see cref="At"/> (the earliest point that changed), before and after a late observation.</summary>
public sealed record Correction(DateTimeOffset At, int? From, int? To);

/// <summary>The effect of one new observation on the earlier points: where grading started again, and the corrections per scale.</summary>
public sealed record TimelineUpdate(int RegradedFrom, Correction? Crs, Correction? Icans);

/// <summary>
/// A patient's observations in clinical-time order (docs/grading-timeline.md T-1), each point graded from the state the
/// observations before it left (T-2 to T-9). An observation that arrives late is inserted at its time and the points
/// after it are graded again, so the result is the same whatever order the observations arrived in. Pure: no clock, no I/O.
/// </summary>
public sealed class PatientTimeline
{
    private const string AgeUnknown = "the patient's age is not known yet (no admission or details recorded)";

    private readonly List<TimelinePoint> _points = [];
    private readonly HashSet<Guid> _ids = [];
    private PatientDetailsObservation? _firstDetails;

    public IReadOnlyList<TimelinePoint> Points => _points;

    /// <summary>The latest point in clinical time: the patient's current grades.</summary>
    public TimelinePoint? Current => _points.Count == 0 ? null : _points[^1];

    public bool Contains(Guid observationId) => _ids.Contains(observationId);

    /// <summary>
    /// Inserts <paramref name="observation"/> at its time and grades again from there. Returns what changed at earlier
    /// points (a late observation can correct what the grade had been), or null when the observation is already on the
    /// timeline: a duplicate changes nothing.
    /// </summary>
    public TimelineUpdate? Add(Observation observation)
    {
        if (!_ids.Add(observation.Id))
        {
            return null;
        }

        var index = InsertionIndex(observation);
        _points.Insert(index, new TimelinePoint(observation, TimelineState.Empty, null, null));

        // T-7: points before the first details take its age, so new first details re-grade from the start.
        var from = index;
        if (observation is PatientDetailsObservation details && (_firstDetails is null || Compare(details, _firstDetails) < 0))
        {
            _firstDetails = details;
            from = 0;
        }

        return Regrade(from, observation.Id);
    }

    private int InsertionIndex(Observation observation)
    {
        // T-1: clinical time, then event id, so equal times still have one order whatever the arrival order.
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

    private static int Compare(Observation a, Observation b)
    {
        var byTime = a.At.CompareTo(b.At);
        return byTime != 0 ? byTime : a.Id.CompareTo(b.Id);
    }

    private TimelineUpdate Regrade(int from, Guid added)
    {
        var fallbackAge = _firstDetails?.AgeYears;
        var state = from == 0 ? TimelineState.Empty : _points[from - 1].State;
        Correction? crs = null, icans = null;
        var previous = from == 0 ? null : _points[from - 1];
        for (var i = from; i < _points.Count; i++)
        {
            var old = _points[i];
            var point = TimelineFold.Step(state, old.Observation, fallbackAge);
            _points[i] = point;
            state = point.State;

            // What the timeline said at this time before: the point's own grade, or for the new point its predecessor's.
            var was = old.Observation.Id == added ? previous : old;
            previous = old;

            // A correction is about an earlier time that was already graded; a change of the current point is a change.
            if (i == _points.Count - 1 || was is null)
            {
                continue;
            }

            if (crs is null && was.Crs != point.Crs)
            {
                crs = new Correction(point.Observation.At, (int?)was.Crs, (int?)point.Crs);
            }

            if (icans is null && was.Icans != point.Icans)
            {
                icans = new Correction(point.Observation.At, (int?)was.Icans, (int?)point.Icans);
            }
        }

        return new TimelineUpdate(from, crs, icans);
    }

    /// <summary>The fold itself: one observation applied to the state before it, then graded.</summary>
    private static class TimelineFold
    {
        public static TimelinePoint Step(TimelineState before, Observation observation, double? fallbackAge)
        {
            var state = Apply(before, observation);
            if ((state.AgeYears ?? fallbackAge) is not { } age)
            {
                return new TimelinePoint(observation, state, null, AgeUnknown);
            }

            // Findings are judged without masking (masking is not a finding): fever now, hypotension, oxygen, ICANS >= 1.
            var icans = AstctIcans.Evaluate(Snapshot(state, age));
            var feverNow = state.TemperatureC is { } t && AstctCrs.IsFever(t);
            var crsFinding = feverNow
                || state.HypotensionCategory is { } h && h != Hypotension.None
                || state.Oxygen is { } o && o != OxygenSupport.None;
            var icansFinding = icans.Grade is { } g && g >= IcansGrade.Grade1;
            state = Episode(state, observation.At, feverNow, crsFinding || icansFinding, opens: feverNow || icansFinding);

            var assessment = Snapshot(state, age);
            var result = new GradingResult(AstctCrs.Evaluate(assessment), icans, CtcaeCrs.Evaluate(assessment));
            if (state.EpisodeOpenedAt is not null)
            {
                state = state with
                {
                    CrsEpisodeMaximum = Max(state.CrsEpisodeMaximum, result.AstctCrs.Grade),
                    IcansEpisodeMaximum = Max(state.IcansEpisodeMaximum, result.AstctIcans.Grade),
                };
            }

            return new TimelinePoint(observation, state, result, null);
        }

        private static TimelineState Apply(TimelineState state, Observation observation) => observation switch
        {
            // T-2: each kind holds until a later observation reports it; oxygen flow and FiO2 go with their device.
            VitalsObservation v => state with
            {
                TemperatureC = v.TemperatureC ?? state.TemperatureC,
                TemperatureAt = v.TemperatureC is null ? state.TemperatureAt : v.At,
                Oxygen = v.Oxygen ?? state.Oxygen,
                OxygenFlowLPerMin = v.Oxygen is null ? state.OxygenFlowLPerMin : v.OxygenFlowLPerMin,
                Fio2Percent = v.Oxygen is null ? state.Fio2Percent : v.Fio2Percent,
                Hypotensive = v.Hypotensive ?? state.Hypotensive,
                Vasopressors = v.Vasopressors ?? state.Vasopressors,
            },
            NeuroObservation n => state with
            {
                IceScore = n.IceScore ?? state.IceScore,
                CapdScore = n.CapdScore ?? state.CapdScore,
                Consciousness = n.Consciousness ?? state.Consciousness,
                Seizure = n.Seizure ?? state.Seizure,
                Motor = n.Motor ?? state.Motor,
                CerebralEdema = n.CerebralEdema ?? state.CerebralEdema,
            },
            // T-5 (R-CRS-3): antipyretic or anti-cytokine therapy after fever masks fever for the rest of the episode.
            TreatmentObservation { Kind: TreatmentKind.Antipyretic or TreatmentKind.Tocilizumab or TreatmentKind.Corticosteroid }
                when state.FeverInEpisode => state with { FeverMasked = true },
            TreatmentObservation { Kind: TreatmentKind.BispecificDose } t => state with { LastBispecificDoseAt = t.At },
            TreatmentObservation => state,
            // T-7, T-8: the latest details give the age; death holds from the observation that records it.
            PatientDetailsObservation d => state with { AgeYears = d.AgeYears, Died = state.Died || d.Died },
            _ => throw new ArgumentOutOfRangeException(nameof(observation), observation.GetType().Name, "unknown observation kind"),
        };

        private static TimelineState Episode(TimelineState state, DateTimeOffset at, bool feverNow, bool finding, bool opens)
        {
            if (state.EpisodeOpenedAt is null)
            {
                // T-4: fever or ICANS opens an episode; hypotension or hypoxia alone is not CRS (R-CRS-2).
                return opens
                    ? state with { Episode = state.Episode + 1, EpisodeOpenedAt = at, LastFindingAt = at, FeverInEpisode = feverNow }
                    : state;
            }

            if (finding)
            {
                return state with { LastFindingAt = at, FeverInEpisode = state.FeverInEpisode || feverNow };
            }

            // T-6: resolved for the stated time with nothing present now; death never closes an episode.
            return !state.Died && at - state.LastFindingAt >= TimelineRules.EpisodeResolution
                ? state with
                {
                    EpisodeOpenedAt = null,
                    LastFindingAt = null,
                    FeverInEpisode = false,
                    FeverMasked = false,
                    CrsEpisodeMaximum = null,
                    IcansEpisodeMaximum = null,
                }
                : state;
        }

        private static Assessment Snapshot(TimelineState state, double age) => new()
        {
            AgeYears = age,
            TemperatureC = state.TemperatureC,
            FeverMaskedByTreatment = state.FeverMasked,
            FeverEarlierInEpisode = state.FeverInEpisode,
            Hypotension = state.HypotensionCategory,
            VasopressinOnlyAdded = state.VasopressinOnlyAdded,
            Oxygen = state.Oxygen,
            OxygenFlowLPerMin = state.OxygenFlowLPerMin,
            Fio2Percent = state.Fio2Percent,
            IceScore = state.IceScore,
            CapdScore = state.CapdScore,
            Consciousness = state.Consciousness,
            Seizure = state.Seizure,
            Motor = state.Motor,
            CerebralEdema = state.CerebralEdema,
            Died = state.Died,
        };

        private static TGrade? Max<TGrade>(TGrade? a, TGrade? b)
            where TGrade : struct, Enum =>
            a is null ? b : b is null ? a : Comparer<TGrade>.Default.Compare(a.Value, b.Value) >= 0 ? a : b;
    }
}
