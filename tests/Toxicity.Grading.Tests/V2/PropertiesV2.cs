using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Toxicity.Grading.Timeline;
using Toxicity.Grading.V2;

namespace Toxicity.Grading.Tests.V2;

/// <summary>
/// Properties of rule set astct-2019/2 over generated assessments and courses (FsCheck): a more severe reading never
/// lowers a grade or a lower bound, a newer reading of what a lower bound misses never lowers it, the passing of time
/// alone never lowers a grade, and no arrival order changes the result.
/// </summary>
[Properties(Arbitrary = [typeof(ArbitrariesV2)], MaxTest = 500)]
public sealed class PropertiesV2
{
    [Property(MaxTest = 2000)]
    public bool A_more_severe_reading_never_lowers_a_grade_or_a_lower_bound(AssessmentPair pair)
    {
        var before = GradingEngineV2.Evaluate(pair.Base);
        var after = GradingEngineV2.Evaluate(pair.Worse);
        return NotLower(before.AstctCrs.Grade, after.AstctCrs.Grade)
            && NotLower(before.AstctIcans.Grade, after.AstctIcans.Grade)
            && NotLower(before.CtcaeCrs.Grade, after.CtcaeCrs.Grade);
    }

    [Property]
    public bool A_newer_reading_of_what_a_lower_bound_misses_never_lowers_it(Course course, int ice, int consciousness)
    {
        var grades = course.Grade();
        if (grades.Timeline.Current is not { Icans: { LowerBound: true, Stale: false } bound, Result: { } result } current)
        {
            return true;
        }

        // Only the reading the bound misses: the score, or the level of consciousness.
        var missesScore = result.AstctIcans.Criteria.Contains(Criteria.IcansLowerBoundScoreMissing)
            || result.AstctIcans.Criteria.Contains(Criteria.IcansLowerBoundScoreStale);
        grades.Record(new NeuroObservation(Guid.NewGuid(), current.Observation.At.AddMinutes(1),
            IceScore: missesScore ? Math.Abs(ice) % 11 : null,
            Consciousness: missesScore ? null : ArbitrariesV2.Consciousnesses[Math.Abs(consciousness) % ArbitrariesV2.Consciousnesses.Length]));
        return grades.Timeline.Current!.Icans!.Grade >= bound.Grade;
    }

    [Property]
    public bool The_passing_of_time_alone_never_lowers_a_grade_unless_an_episode_closes_on_current_normal_readings(Course course, PositiveInt minutes)
    {
        var grades = course.Grade();
        if (grades.Timeline.Current is not { } before)
        {
            return true;
        }

        var (crs, icans, decidedCrs, decidedIcans) = (before.Crs?.Grade, before.Icans?.Grade, grades.DecidedCrs, grades.DecidedIcans);
        grades.Record(new ReviewObservation(Guid.NewGuid(), before.Observation.At.AddMinutes(minutes.Get % (20 * 24 * 60)), "time"));
        var after = grades.Timeline.Current!;
        if (after.Closure is { Unobserved: false })
        {
            return true; // C2-EP-2: closed on readings current at the review's time
        }

        return after.Crs?.Grade >= crs || crs is null
            ? (after.Icans?.Grade >= icans || icans is null) && grades.DecidedCrs >= decidedCrs && grades.DecidedIcans >= decidedIcans
            : false;
    }

    // No compaction: a horizon longer than any course.
    private static readonly GradingWindows Unbounded = GradingWindows.Default with { CorrectionHorizon = TimeSpan.FromDays(365) };

    [Property]
    public bool No_arrival_order_changes_the_timeline_or_what_it_shows(Course course, int seed)
    {
        var inOrder = course.Grade(Unbounded);
        var shuffled = new PatientGradesV2(Unbounded);
        var random = new Random(seed);
        foreach (var observation in course.Observations.OrderBy(_ => random.Next()).Concat(course.Observations.Take(2)))
        {
            shuffled.Record(observation);
        }

        return Same(inOrder, shuffled);
    }

    [Property]
    public bool C2_CMP_1_late_arrivals_within_the_correction_horizon_change_nothing_of_a_compacted_timeline(Course course, int seed)
    {
        // Each observation arrives up to half the horizon after its clinical time: every late one is within the horizon.
        var inOrder = course.Grade(Unbounded);
        var compacted = new PatientGradesV2(GradingWindows.Default);
        var random = new Random(seed);
        var half = GradingWindows.Default.CorrectionHorizon.Ticks / 2;
        foreach (var observation in course.Observations.OrderBy(o => o.At.UtcTicks + (long)(random.NextDouble() * half)))
        {
            compacted.Record(observation);
        }

        return Same(inOrder, compacted, windowOnly: true);
    }

    [Property]
    public bool C2_CMP_1_compaction_decides_exactly_what_the_whole_timeline_decides(Course course)
    {
        var whole = new PatientGradesV2(Unbounded);
        var compacted = new PatientGradesV2(GradingWindows.Default);
        foreach (var observation in course.Observations)
        {
            var (a, b) = (whole.Record(observation), compacted.Record(observation));
            if (!a.Changes.Select(c => (c.Scale, c.PreviousGrade, c.Grade)).SequenceEqual(b.Changes.Select(c => (c.Scale, c.PreviousGrade, c.Grade)))
                || !a.Notices.Select(n => (n.Reading, n.Status, n.Since)).SequenceEqual(b.Notices.Select(n => (n.Reading, n.Status, n.Since)))
                || !a.Ctcae.Select(c => (c.PreviousGrade, c.Grade)).SequenceEqual(b.Ctcae.Select(c => (c.PreviousGrade, c.Grade))))
            {
                return false;
            }
        }

        return Same(whole, compacted, windowOnly: true) && whole.NextReview == compacted.NextReview
            && whole.History.SequenceEqual(compacted.History);
    }

    [Property]
    public bool A_saved_and_restored_patient_decides_what_it_would_have_decided(Course course, int cut)
    {
        var json = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        var split = course.Observations.Count == 0 ? 0 : Math.Abs(cut % course.Observations.Count);
        var kept = new PatientGradesV2(GradingWindows.Default);
        foreach (var observation in course.Observations.Take(split))
        {
            kept.Record(observation);
        }

        var saved = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(kept.Save(), json);
        var restored = PatientGradesV2.Restore(System.Text.Json.JsonSerializer.Deserialize<PatientGradesV2State>(saved, json)!, GradingWindows.Default);
        if (restored.NextReview != kept.NextReview || !restored.History.SequenceEqual(kept.History))
        {
            return false;
        }

        foreach (var observation in course.Observations.Skip(split))
        {
            var (a, b) = (kept.Record(observation), restored.Record(observation));
            if (!a.Changes.Select(c => (c.Scale, c.PreviousGrade, c.Grade)).SequenceEqual(b.Changes.Select(c => (c.Scale, c.PreviousGrade, c.Grade)))
                || !a.Notices.Select(n => (n.Reading, n.Status, n.Since)).SequenceEqual(b.Notices.Select(n => (n.Reading, n.Status, n.Since))))
            {
                return false;
            }
        }

        return Same(kept, restored) && kept.NextReview == restored.NextReview;
    }

    private static bool Same(PatientGradesV2 expected, PatientGradesV2 actual, bool windowOnly = false)
    {
        var (a, b) = (expected.Timeline.Current, actual.Timeline.Current);
        var ids = actual.Timeline.Window.Select(p => p.Observation.Id).ToList();
        return (windowOnly
                ? expected.Timeline.Window.Select(p => p.Observation.Id).TakeLast(ids.Count).SequenceEqual(ids)
                : expected.Timeline.Window.Select(p => p.Observation.Id).SequenceEqual(ids))
            && a?.Crs == b?.Crs && a?.Icans == b?.Icans
            && (a?.Overdue ?? []).SequenceEqual(b?.Overdue ?? [])
            && expected.Overdue.Keys.Order().SequenceEqual(actual.Overdue.Keys.Order())
            && expected.Closures.SequenceEqual(actual.Closures)
            && expected.Timeline.Counts == actual.Timeline.Counts;
    }

    private static bool NotLower<T>(T? before, T? after)
        where T : struct, Enum =>
        before is null || after is null || Convert.ToInt32(after, null) >= Convert.ToInt32(before, null);
}

/// <summary>A generated course: an adult's observations and reviews over about a week, in clinical-time order.</summary>
public sealed record Course(IReadOnlyList<Observation> Observations)
{
    public PatientGradesV2 Grade(GradingWindows? windows = null)
    {
        var grades = new PatientGradesV2(windows ?? GradingWindows.Default);
        foreach (var observation in Observations)
        {
            grades.Record(observation);
        }

        return grades;
    }

    public override string ToString() => string.Join("\n", Observations);
}

public static class ArbitrariesV2
{
    internal static readonly Consciousness[] Consciousnesses = Enum.GetValues<Consciousness>();

    private static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    // Severity ladders of rule set /2 (§8.1 R2-CON-1: alert 0, awakens spontaneously 1).
    private static readonly (Hypotension? Kind, bool Vasopressin)[] HypotensionLadder =
        [(null, false), (Hypotension.None, false), (Hypotension.FluidResponsive, false), (Hypotension.OneVasopressor, false),
         (Hypotension.MultipleVasopressors, true), (Hypotension.MultipleVasopressors, false)];

    private static readonly OxygenSupport?[][] OxygenLevels =
        [[null, OxygenSupport.None], [OxygenSupport.LowFlowNasalCannula], [OxygenSupport.HighFlowNasalCannula, OxygenSupport.Facemask],
         [OxygenSupport.Cpap, OxygenSupport.MechanicalVentilation]];

    private static readonly Consciousness?[][] ConsciousnessLevels =
        [[null, Consciousness.Alert], [Consciousness.AwakensSpontaneously], [Consciousness.AwakensToVoice], [Consciousness.AwakensToTactile],
         [Consciousness.Unarousable, Consciousness.Coma]];

    public static Arbitrary<AssessmentPair> Pairs() => Arb.From(
        from age in Gen.Elements(3.0, 11.9, 12.0, 67.0)
        from temperature in Gen.OneOf(Gen.Constant<double?>(null), Gen.Choose(3700, 4100).Select(t => (double?)(t / 100.0)))
        from warmer in Gen.Choose(0, 150).Select(d => d / 100.0)
        from masked in Gen.Elements(false, true)
        from premedication in Gen.Elements(false, true)
        from later in Gen.Elements(false, true)
        from hypotension in Gen.Choose(0, HypotensionLadder.Length - 1)
        from hypotensionWorse in Gen.Choose(hypotension, HypotensionLadder.Length - 1)
        from noVasopressor in Gen.Elements(false, true)
        from oxygen in Level(OxygenLevels)
        from fio2 in Gen.OneOf(Gen.Constant<double?>(null), Gen.Choose(21, 100).Select(f => (double?)f))
        from ice in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 10).Select(i => (int?)i))
        from iceDrop in Gen.Choose(0, 10)
        from capd in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 32).Select(c => (int?)c))
        from capdRise in Gen.Choose(0, 32)
        from consciousness in Level(ConsciousnessLevels)
        from seizure in Gen.Elements<Seizure?>(null, Seizure.None, Seizure.FocalOrGeneralizedResolvedRapidly)
        from died in Gen.Elements(false, true)
        select new AssessmentPair(
            new Assessment
            {
                AgeYears = age, TemperatureC = temperature, FeverMaskedByTreatment = masked, PremedicationMasked = premedication,
                Hypotension = HypotensionLadder[hypotension].Kind, VasopressinOnlyAdded = HypotensionLadder[hypotension].Vasopressin,
                NoVasopressorRunning = noVasopressor && HypotensionLadder[hypotension].Kind is null,
                Oxygen = oxygen.Before, Fio2Percent = fio2, IceScore = ice, CapdScore = capd, Consciousness = consciousness.Before,
                Seizure = seizure, Died = died,
            },
            new Assessment
            {
                AgeYears = age, TemperatureC = temperature + warmer, FeverMaskedByTreatment = masked || later, PremedicationMasked = premedication || later,
                Hypotension = HypotensionLadder[hypotensionWorse].Kind, VasopressinOnlyAdded = HypotensionLadder[hypotensionWorse].Vasopressin,
                NoVasopressorRunning = noVasopressor && HypotensionLadder[hypotensionWorse].Kind is null,
                Oxygen = oxygen.After, Fio2Percent = fio2, IceScore = ice is null ? null : Math.Max(0, ice.Value - iceDrop),
                CapdScore = capd is null ? null : Math.Min(32, capd.Value + capdRise), Consciousness = consciousness.After,
                Seizure = seizure, Died = died || later,
            }));

    public static Arbitrary<Course> Courses() => Arb.From(
        from count in Gen.Choose(3, 24)
        from steps in Gen.ListOf(Step(), count)
        select Build(steps));

    private static Gen<Func<Guid, DateTimeOffset, Observation>> Step() => Gen.OneOf(
        from temperature in Gen.Elements<double?>(null, 36.8, 37.6, 38.0, 39.2)
        from hypotensive in Gen.Elements<bool?>(null, false, true)
        from vasopressors in Gen.Elements<int?>(null, 0, 1, 2)
        from oxygen in Gen.Elements<OxygenSupport?>(null, OxygenSupport.None, OxygenSupport.LowFlowNasalCannula, OxygenSupport.Facemask, OxygenSupport.Cpap)
        select (Func<Guid, DateTimeOffset, Observation>)((id, at) => new VitalsObservation(id, at, temperature, oxygen, null, null, hypotensive,
            vasopressors is { } n ? new VasopressorsRunning(n, false) : null)),
        from ice in Gen.Elements<int?>(null, 10, 8, 5, 1)
        from consciousness in Gen.Elements<Consciousness?>(null, Consciousness.Alert, Consciousness.AwakensSpontaneously, Consciousness.AwakensToVoice, Consciousness.Unarousable)
        from seizure in Gen.Elements<Seizure?>(null, Seizure.None, Seizure.FocalOrGeneralizedResolvedRapidly)
        from sedated in Gen.Elements<bool?>(null, null, true)
        select (Func<Guid, DateTimeOffset, Observation>)((id, at) => new NeuroObservation(id, at, ice, null, consciousness, seizure, Sedated: sedated)),
        from treatment in Gen.Elements(
            (TreatmentKind.BispecificDose, "epcoritamab", (double?)0.16), (TreatmentKind.BispecificDose, "epcoritamab", 48),
            (TreatmentKind.Premedication, "dexamethasone", 20), (TreatmentKind.Antipyretic, "acetaminophen", 1000),
            (TreatmentKind.Tocilizumab, "tocilizumab", 8))
        select (Func<Guid, DateTimeOffset, Observation>)((id, at) => new TreatmentObservation(id, at, treatment.Item1, treatment.Item2, treatment.Item3, "mg")),
        Gen.Constant((Func<Guid, DateTimeOffset, Observation>)((id, at) => new ReviewObservation(id, at, "generated"))));

    private static Course Build(IEnumerable<Func<Guid, DateTimeOffset, Observation>> steps)
    {
        var random = new Random(17);
        var at = Start;
        List<Observation> observations = [new PatientDetailsObservation(Guid.NewGuid(), Start, 58, false)];
        foreach (var step in steps)
        {
            at = at.AddMinutes(random.Next(1, 16 * 60));
            observations.Add(step(Guid.NewGuid(), at));
        }

        return new Course(observations);
    }

    private static Gen<(T Before, T After)> Level<T>(T[][] levels) =>
        from level in Gen.Choose(0, levels.Length - 1)
        from higher in Gen.Choose(level, levels.Length - 1)
        from before in Gen.Elements(levels[level])
        from after in Gen.Elements(levels[higher])
        select (before, after);
}
