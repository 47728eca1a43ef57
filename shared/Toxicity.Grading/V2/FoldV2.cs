using Toxicity.Grading.Timeline;

namespace Toxicity.Grading.V2;

/// <summary>
/// One step of the /2 timeline: an observation (or review) applied to the state before it, then graded at its time
/// from the readings current then (CLINICAL-RULES.md §8.2-§8.4). Rule ids beside each part; docs/grading-timeline.md.
/// </summary>
internal static class FoldV2
{
    private const string AgeUnknown = "the patient's age is not known yet (no admission or details recorded)";

    public static TimelinePointV2 Step(TimelineStateV2 before, Observation observation, double? fallbackAge, GradingWindows windows)
    {
        var at = observation.At;

        // C2-EP-2: an open episode with no observation for 14 days closes, recorded as closed unobserved.
        EpisodeClosure? closure = null;
        if (before is { EpisodeOpenedAt: not null, LastObservationAt: { } last } && at - last >= windows.EpisodeUnobserved)
        {
            closure = Closure(before, at, unobserved: true);
            before = Closed(before);
        }

        var state = Apply(before, observation, windows);
        if ((state.AgeYears ?? fallbackAge) is not { } age)
        {
            return new TimelinePointV2(observation, state, null, [], AgeUnknown, closure);
        }

        // Findings are judged on the readings current now, without masking (masking is not a finding).
        var readings = Snapshot(state, at, age, windows);
        var feverNow = readings.TemperatureC is { } t && AstctCrs.IsFever(t);
        var organSupport = readings.Hypotension is { } h && h != Hypotension.None || readings.Oxygen is { } o && o != OxygenSupport.None;
        var bothNone = readings.Hypotension == Hypotension.None && readings.Oxygen == OxygenSupport.None;
        var icansNow = AstctIcansV2.Evaluate(readings);
        var icansFinding = icansNow.Grade >= IcansGrade.Grade1;
        var premedicationMasked = state.PremedicationMasked(at, windows);
        var possibleCrs = !feverNow && !state.FeverInEpisode && premedicationMasked && organSupport; // C2-MASK-2

        // C2-T2H-1, C2-EP-1: the onset of hypotension or hypoxia is the first point with it after none (or unknown).
        state = state with
        {
            OrganSupportOnset = organSupport ? state.OrganSupportOnset ?? at : bothNone ? null : state.OrganSupportOnset,
            LastFeverAt = feverNow ? at : state.LastFeverAt,
        };

        if (state.EpisodeOpenedAt is null)
        {
            // T-4 amended by C2-MASK-2: fever, ICANS, or possible CRS opens an episode.
            if (feverNow || icansFinding || possibleCrs)
            {
                state = state with
                {
                    Episode = state.Episode + 1,
                    EpisodeOpenedAt = at,
                    LastFindingAt = at,
                    FeverInEpisode = feverNow,
                };
            }
        }
        else if (feverNow || organSupport || icansFinding)
        {
            state = state with { LastFindingAt = at, FeverInEpisode = state.FeverInEpisode || feverNow };
        }
        else if (!state.Died && at - state.LastFindingAt >= windows.EpisodeResolution && CurrentNormal(state, readings, icansNow, at, windows))
        {
            // C2-EP-2: closed at 72 h only on current normal readings; a masking window still running goes on (C2-EP-3).
            closure = Closure(state, at, unobserved: false);
            state = Closed(state);
        }

        var assessment = readings with
        {
            FeverMaskedByTreatment = state.FeverMasked,
            FeverEarlierInEpisode = state.FeverInEpisode,
            PossibleCrsEarlierInEpisode = state.PossibleCrsInEpisode,
            PremedicationMasked = premedicationMasked,
            TemperatureBeforeOrganSupportOnset = state.OrganSupportOnset is { } onset && state.Temperature is { } temperature
                && readings.TemperatureC is not null && temperature.At < onset - windows.TemperatureBeforeOnset,
            FeverResolvedOver24hBeforeOnset = state.OrganSupportOnset is { } began && state.LastFeverAt is { } fever
                && began - fever > windows.FeverResolvedBeforeOnset && !(state.LastMaskingAt >= fever) && !premedicationMasked,
        };
        var result = GradingEngineV2.Evaluate(assessment);

        var (crsFalls, icansFalls) = closure is { Unobserved: false } ? (true, true) : observation switch
        {
            VitalsObservation => (true, false),
            NeuroObservation => (false, true),
            PatientDetailsObservation => (true, true),
            _ => (false, false),
        };
        var crs = Shown(state.Crs, result.AstctCrs, crsFalls, at);
        var icans = Shown(state.Icans, result.AstctIcans, icansFalls, at);
        state = state with { Crs = crs, Icans = icans };

        if (state.EpisodeOpenedAt is not null)
        {
            state = state with
            {
                // C2-MASK-3: possible CRS of grade >= 2 makes the episode CRS under therapy until it closes.
                PossibleCrsInEpisode = state.PossibleCrsInEpisode || result.AstctCrs is { Provisional: true, Grade: >= CrsGrade.Grade2 },
                CrsEpisodeMaximum = Max(state.CrsEpisodeMaximum, Episodic<CrsGrade>(crs, result.AstctCrs.Grade)),
                IcansEpisodeMaximum = Max(state.IcansEpisodeMaximum, Episodic<IcansGrade>(icans, result.AstctIcans.Grade)),
            };
        }

        if (crs is { Grade: >= 1 })
        {
            state = CrsInDoseWindows(state, at);
        }

        return new TimelinePointV2(observation, state, result, OverdueReadings.At(state, at, assessment, result, windows), null, closure);
    }

    /// <summary>
    /// C2-CMP-1: an observation older than the correction horizon, merged into <paramref name="state"/> (what the
    /// compacted observations left): each reading only where it is newer than the one known; a dose or a masking
    /// administration by its window (the later end wins; a drug's last dose only if it is the newer); a fever inside the
    /// open episode counts for it (T-5); the first details' age only if none is known. No point is graded.
    /// </summary>
    public static TimelineStateV2 Merge(TimelineStateV2 state, Observation observation, GradingWindows windows)
    {
        ArgumentNullException.ThrowIfNull(state);
        var at = observation.At;
        Stamped<T>? Newer<T>(Stamped<T>? known, T? value) where T : struct =>
            value is { } v && (known is null || known.Value.At < at) ? new Stamped<T>(v, at) : known;
        Stamped<T>? NewerOf<T>(Stamped<T>? known, T? value) where T : class =>
            value is not null && (known is null || known.Value.At < at) ? new Stamped<T>(value, at) : known;

        switch (observation)
        {
            case VitalsObservation v:
                var fever = v.TemperatureC is { } t && AstctCrs.IsFever(t);
                return state with
                {
                    Temperature = Newer(state.Temperature, v.TemperatureC),
                    Oxygen = NewerOf(state.Oxygen, v.Oxygen is { } o ? new OxygenState(o, v.OxygenFlowLPerMin, v.Fio2Percent) : null),
                    Hypotensive = Newer(state.Hypotensive, v.Hypotensive),
                    Vasopressors = Newer(state.Vasopressors, v.Vasopressors),
                    FeverInEpisode = state.FeverInEpisode || (fever && state.EpisodeOpenedAt <= at),
                    LastFeverAt = fever && !(state.LastFeverAt >= at) ? at : state.LastFeverAt,
                };
            case NeuroObservation n:
                return state with
                {
                    Ice = Newer(state.Ice, n.IceScore),
                    Capd = Newer(state.Capd, n.CapdScore),
                    Consciousness = Newer(state.Consciousness, n.Consciousness),
                    Seizure = Newer(state.Seizure, n.Seizure),
                    Motor = Newer(state.Motor, n.Motor),
                    CerebralEdema = Newer(state.CerebralEdema, n.CerebralEdema),
                };
            case TreatmentObservation { Kind: TreatmentKind.BispecificDose } dose:
                var drug = dose.Drug ?? string.Empty;
                var end = at + windows.RiskAfterStepUpDose; // conservatively the long window: its place in the course is not re-graded
                var last = state.Doses.GetValueOrDefault(drug);
                return state with
                {
                    Doses = last is not null && last.RiskEnd >= end ? state.Doses : state.Doses.SetItem(drug, new DoseRecord(dose.Dose, dose.DoseUnit, end, CrsInWindow: false)),
                    RiskEnd = Later(state.RiskEnd, end),
                    LastBispecificDoseAt = Later(state.LastBispecificDoseAt, at),
                };
            case TreatmentObservation treatment when MaskingDrugs.Window(treatment, windows) is { } masking:
                return state with
                {
                    MaskingEnd = Later(state.MaskingEnd, at + masking),
                    LastMaskingAt = Later(state.LastMaskingAt, at),
                    FeverMasked = state.FeverMasked || (state.FeverInEpisode && state.EpisodeOpenedAt <= at),
                };
            case PatientDetailsObservation d:
                return state with { AgeYears = state.AgeYears ?? d.AgeYears, Died = state.Died || d.Died };
            case PlannedDoseObservation planned:
                return state with { PendingPlannedDoseEnd = Later(state.PendingPlannedDoseEnd, at + (planned.StepUpOrFirstFull ? windows.RiskAfterStepUpDose : windows.RiskAfterOtherDose)) };
            default:
                return state; // a review, an interruption: only time, which has passed
        }
    }

    /// <summary>
    /// The grade shown (§8.2): the engine's when it rises or holds, or when it falls on a fresh observation of the
    /// scale's readings (or at a normal closure) and is exact; otherwise the grade shown before, kept and marked stale.
    /// Missing data, staleness and a lower bound below the grade shown never lower it.
    /// </summary>
    private static ShownGrade? Shown<TGrade>(ShownGrade? held, ScaleResult<TGrade> result, bool mayFall, DateTimeOffset at)
        where TGrade : struct, Enum
    {
        if (result.Grade is not { } value)
        {
            return held is null ? null : held with { Stale = true };
        }

        var grade = Convert.ToInt32(value, null);
        return held is null || grade >= held.Grade || (mayFall && !result.LowerBound)
            ? new ShownGrade(grade, result.LowerBound, result.Provisional, Stale: false, at)
            : held with { Stale = true };
    }

    private static TimelineStateV2 Apply(TimelineStateV2 state, Observation observation, GradingWindows windows)
    {
        var at = observation.At;
        switch (observation)
        {
            case VitalsObservation v:
                return state with
                {
                    Temperature = v.TemperatureC is { } temperature ? new(temperature, at) : state.Temperature,
                    Oxygen = v.Oxygen is { } o ? new(new OxygenState(o, v.OxygenFlowLPerMin, v.Fio2Percent), at) : state.Oxygen,
                    Hypotensive = v.Hypotensive is { } h ? new(h, at) : state.Hypotensive,
                    Vasopressors = v.Vasopressors is { } p ? new(p, at) : state.Vasopressors,
                    LastObservationAt = at,
                };
            case NeuroObservation n:
                return state with
                {
                    Ice = n.IceScore is { } ice ? new(ice, at) : state.Ice,
                    Capd = n.CapdScore is { } capd ? new(capd, at) : state.Capd,
                    Consciousness = n.Consciousness is { } c ? new(c, at) : state.Consciousness,
                    Seizure = n.Seizure is { } s ? new(s, at) : state.Seizure,
                    Motor = n.Motor is { } m ? new(m, at) : state.Motor,
                    CerebralEdema = n.CerebralEdema is { } e ? new(e, at) : state.CerebralEdema,
                    // C2-SED-1: each assessment says whether it was made under sedation (not reported: not sedated).
                    Sedated = new(n.Sedated ?? false, at),
                    LastObservationAt = at,
                };
            case TreatmentObservation treatment:
                return Treated(state with { LastObservationAt = at }, treatment, windows);
            case PatientDetailsObservation d:
                return state with
                {
                    AgeYears = d.AgeYears,
                    Died = state.Died || d.Died,
                    DevelopmentalDelay = d.DevelopmentalDelay,
                    BaselineCapd = d.BaselineCapd,
                    LastObservationAt = at,
                };
            case ReviewObservation:
                return state; // the clock: only time passes (C2-CLK-1)
            case PlannedDoseObservation planned:
                // C2-RW-1: a planned dose with no dose record opens its risk window provisionally, until a record follows.
                return state with
                {
                    PendingPlannedDoseEnd = at + (planned.StepUpOrFirstFull ? windows.RiskAfterStepUpDose : windows.RiskAfterOtherDose),
                    RiskSince = state.InRiskWindow(at, windows) ? state.RiskSince : at,
                };
            default:
                throw new ArgumentOutOfRangeException(nameof(observation), observation.GetType().Name, "unknown observation kind");
        }
    }

    private static TimelineStateV2 Treated(TimelineStateV2 state, TreatmentObservation treatment, GradingWindows windows)
    {
        var at = treatment.At;
        if (MaskingDrugs.Window(treatment, windows) is { } masking)
        {
            state = state with
            {
                MaskingEnd = Later(state.MaskingEnd, at + masking),
                LastMaskingAt = at,
                // T-5 (R-CRS-3): antipyretic or anti-cytokine therapy after fever masks it for the rest of the episode.
                FeverMasked = state.FeverMasked || state.FeverInEpisode,
            };
        }

        var covered = state.InRiskWindow(at, windows);
        switch (treatment.Kind)
        {
            case TreatmentKind.Premedication:
                // C2-RW-1: a premedication opens the step-up risk window provisionally, until a dose record follows it.
                return state with { PendingPremedicationAt = at, RiskSince = covered ? state.RiskSince : at };
            case TreatmentKind.BispecificDose:
                var drug = treatment.Drug ?? string.Empty;
                var last = state.Doses.GetValueOrDefault(drug);
                // C2-RW-1: the first dose of a drug, a dose of another amount (a step up, or a step-up started again)
                // and a dose after CRS in the last dose's window open the long window; a repeat of the last dose the short one.
                var repeat = last is { Amount: { } amount } && treatment.Dose == amount && treatment.DoseUnit == last.Unit && !last.CrsInWindow;
                var end = at + (repeat ? windows.RiskAfterOtherDose : windows.RiskAfterStepUpDose);
                return state with
                {
                    Doses = state.Doses.SetItem(drug, new DoseRecord(treatment.Dose, treatment.DoseUnit, end, CrsInWindow: false)),
                    RiskEnd = Later(state.RiskWindowEnd(windows), end),
                    RiskSince = covered ? state.RiskSince : at,
                    PendingPremedicationAt = null,
                    PendingPlannedDoseEnd = null,
                    LastBispecificDoseAt = at,
                };
            default:
                return state;
        }
    }

    /// <summary>The readings current at <paramref name="at"/> as an assessment (§8.2); stale ones are left out, never taken as normal.</summary>
    private static Assessment Snapshot(TimelineStateV2 state, DateTimeOffset at, double age, GradingWindows windows)
    {
        var neuro = state.NeuroWindow(windows);
        bool Current<T>(Stamped<T>? reading, TimeSpan window) where T : struct => reading is { } r && at - r.At < window;

        var usesCapd = state.UsesCapd(age);
        var score = usesCapd ? state.Capd : state.Ice;
        var vasopressors = state.Vasopressors?.Value;
        var (hypotension, vasopressinOnly) = vasopressors switch
        {
            // T-3 with C2-VP-1 (the count is of distinct drugs): vasopressors running decide.
            { Count: > 0 } v when v.Count - (v.IncludesVasopressin ? 1 : 0) >= 2 => (Hypotension.MultipleVasopressors, false),
            { Count: 2, IncludesVasopressin: true } => (Hypotension.MultipleVasopressors, true),
            { Count: > 0 } => (Hypotension.OneVasopressor, false),
            // C2-LB-2: otherwise only a current bedside judgement makes hypotension known.
            _ => Current(state.Hypotensive, windows.Hypotensive)
                ? (state.Hypotensive!.Value.Value ? Hypotension.FluidResponsive : Hypotension.None, false)
                : ((Hypotension?)null, false),
        };
        var seizure = state.Seizure is { } s && at - s.At < (s.Value == Seizure.None ? neuro : windows.Seizure) ? s.Value : (Seizure?)null;
        var oxygen = state.Oxygen?.Value;
        return new Assessment
        {
            AgeYears = age,
            TemperatureC = Current(state.Temperature, windows.Temperature) ? state.Temperature!.Value.Value : null,
            Hypotension = hypotension,
            VasopressinOnlyAdded = vasopressinOnly,
            NoVasopressorRunning = hypotension is null && vasopressors is { Count: 0 },
            Oxygen = oxygen?.Device,
            OxygenFlowLPerMin = oxygen?.FlowLPerMin,
            Fio2Percent = oxygen?.Fio2Percent,
            IceScore = Current(state.Ice, neuro) ? state.Ice!.Value.Value : null,
            CapdScore = Current(state.Capd, neuro) ? state.Capd!.Value.Value : null,
            ScoreStale = score is not null && !Current(score, neuro),
            Consciousness = Current(state.Consciousness, neuro) ? state.Consciousness!.Value.Value : null,
            Seizure = seizure,
            Motor = state.Motor?.Value,
            CerebralEdema = state.CerebralEdema?.Value,
            Sedated = state.Sedated is { Value: true } sedated && at - sedated.At < neuro,
            DevelopmentalDelay = state.DevelopmentalDelay,
            BaselineCapd = state.BaselineCapd,
            Died = state.Died,
        };
    }

    /// <summary>C2-EP-2: the readings that may close an episode are current and normal (stale readings never count as "no finding").</summary>
    private static bool CurrentNormal(TimelineStateV2 state, Assessment readings, ScaleResult<IcansGrade> icans, DateTimeOffset at, GradingWindows windows) =>
        readings.TemperatureC is not null
        && readings.Hypotension == Hypotension.None
        && readings.Oxygen == OxygenSupport.None && at - state.Oxygen!.Value.At < windows.SupportUnconfirmed
        && (state.IcansEpisodeMaximum is null or IcansGrade.None || icans is { Grade: IcansGrade.None, LowerBound: false });

    private static EpisodeClosure Closure(TimelineStateV2 state, DateTimeOffset at, bool unobserved) =>
        new(state.Episode, state.EpisodeOpenedAt!.Value, at, unobserved, state.CrsEpisodeMaximum, state.IcansEpisodeMaximum);

    private static TimelineStateV2 Closed(TimelineStateV2 state) => state with
    {
        EpisodeOpenedAt = null,
        LastFindingAt = null,
        FeverInEpisode = false,
        FeverMasked = false,
        PossibleCrsInEpisode = false,
        CrsEpisodeMaximum = null,
        IcansEpisodeMaximum = null,
    };

    // C2-RW-1: CRS in a dose's risk window makes the drug's next dose open the long window.
    private static TimelineStateV2 CrsInDoseWindows(TimelineStateV2 state, DateTimeOffset at)
    {
        var doses = state.Doses;
        foreach (var (drug, dose) in state.Doses)
        {
            if (!dose.CrsInWindow && at < dose.RiskEnd)
            {
                doses = doses.SetItem(drug, dose with { CrsInWindow = true });
            }
        }

        return ReferenceEquals(doses, state.Doses) ? state : state with { Doses = doses };
    }

    // The episode maximum takes what this point shows, not a grade kept from before it.
    private static TGrade? Episodic<TGrade>(ShownGrade? shown, TGrade? result)
        where TGrade : struct, Enum =>
        shown is { Stale: false } ? (TGrade)Enum.ToObject(typeof(TGrade), shown.Grade) : result;

    private static TGrade? Max<TGrade>(TGrade? a, TGrade? b)
        where TGrade : struct, Enum =>
        a is null ? b : b is null ? a : Comparer<TGrade>.Default.Compare(a.Value, b.Value) >= 0 ? a : b;

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;
}

/// <summary>
/// Which administrations may mask fever, and for how long (CLINICAL-RULES.md §8.3 C2-MASK-1): antipyretics
/// (acetaminophen, NSAIDs, metamizole) 8 h, systemic corticosteroids 72 h, tocilizumab 14 days; a premedication by its
/// drug, and one whose drug is not known as either, conservatively, as a corticosteroid (a missing drug class must
/// never hide a grade). Antihistamines and obinutuzumab pretreatment mask nothing.
/// </summary>
public static class MaskingDrugs
{
    private static readonly HashSet<string> Corticosteroids = new(["dexamethasone", "methylprednisolone", "prednisolone", "prednisone", "hydrocortisone"], StringComparer.Ordinal);
    private static readonly HashSet<string> Antipyretics = new(["acetaminophen", "paracetamol", "ibuprofen", "metamizole", "naproxen"], StringComparer.Ordinal);
    private static readonly HashSet<string> NotMasking = new(["diphenhydramine", "cetirizine", "clemastine", "chlorphenamine", "obinutuzumab"], StringComparer.Ordinal);

    /// <summary>How long <paramref name="treatment"/> may mask fever; null when it masks nothing.</summary>
    public static TimeSpan? Window(TreatmentObservation treatment, GradingWindows windows)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(windows);
        return treatment.Kind switch
        {
            TreatmentKind.Antipyretic => windows.MaskingAntipyretic,
            TreatmentKind.Corticosteroid => windows.MaskingCorticosteroid,
            TreatmentKind.Tocilizumab => windows.MaskingTocilizumab,
            TreatmentKind.Premedication when treatment.Drug is { } drug && NotMasking.Contains(drug) => null,
            TreatmentKind.Premedication when treatment.Drug is { } drug && Antipyretics.Contains(drug) => windows.MaskingAntipyretic,
            TreatmentKind.Premedication when treatment.Drug is { } drug && Corticosteroids.Contains(drug) => windows.MaskingCorticosteroid,
            TreatmentKind.Premedication => windows.MaskingCorticosteroid, // not known as either: may mask

            _ => null,
        };
    }
}
