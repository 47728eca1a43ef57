using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Toxicity.Grading.Tests;

/// <summary>
/// Properties over generated assessments (FsCheck): making any input more severe never lowers a grade, and each
/// grade is the maximum over its domains, computed here from the tables of CLINICAL-RULES.md independently.
/// </summary>
[Properties(Arbitrary = [typeof(AssessmentArbitraries)], MaxTest = 2000)]
public sealed class GradingProperties
{
    [Property]
    public bool Making_any_input_more_severe_never_lowers_a_grade(AssessmentPair pair)
    {
        var before = GradingEngine.Evaluate(pair.Base);
        var after = GradingEngine.Evaluate(pair.Worse);
        return NotLower(before.AstctCrs.Grade, after.AstctCrs.Grade)
            && NotLower(before.AstctIcans.Grade, after.AstctIcans.Grade)
            && NotLower(before.CtcaeCrs.Grade, after.CtcaeCrs.Grade)
            // gradability is never lost by worsening what was assessed, except CTCAE, whose FiO2 may be missing
            && (before.AstctCrs.Grade is null || after.AstctCrs.Grade is not null)
            && (before.AstctIcans.Grade is null || after.AstctIcans.Grade is not null);
    }

    [Property]
    public bool The_CRS_grade_is_the_maximum_of_1_hypotension_and_hypoxia_when_CRS_is_present(AssessmentPair pair)
    {
        var a = pair.Base;
        var grade = AstctCrs.Evaluate(a).Grade;
        var present = a.TemperatureC >= 38.0 || a.FeverMaskedByTreatment;
        if (!present || a.Died)
        {
            return grade == (present ? CrsGrade.Grade5 : a.TemperatureC is null ? null : CrsGrade.None);
        }

        return grade == (CrsGrade)Math.Max(1, Math.Max(Table.Hypotension(a), Table.Oxygen(a)));
    }

    [Property]
    public bool The_ICANS_grade_is_the_maximum_over_the_domains(AssessmentPair pair)
    {
        var a = pair.Base;
        var grade = AstctIcans.Evaluate(a).Grade;
        var score = a.AgeYears < 12 ? Table.Capd(a.CapdScore) : Table.Ice(a.IceScore);
        var other = new[] { Table.Consciousness(a.Consciousness), Table.Seizure(a.Seizure), Table.Motor(a.Motor), Table.Edema(a.CerebralEdema) }.Max();
        int? expected = score is null ? (other >= 3 ? other : null) : Math.Max(score.Value, other);
        if (a.Died && expected >= 1)
        {
            expected = 5;
        }

        return grade == (IcansGrade?)expected;
    }

    private static bool NotLower<T>(T? before, T? after)
        where T : struct, Enum =>
        before is null || after is null || Convert.ToInt32(after, null) >= Convert.ToInt32(before, null);

    /// <summary>The domain tables of CLINICAL-RULES.md §1.3 and §2.5, written out again as the oracle.</summary>
    private static class Table
    {
        public static int Hypotension(Assessment a) => a.Hypotension switch
        {
            Grading.Hypotension.FluidResponsive => 2,
            Grading.Hypotension.OneVasopressor => 3,
            Grading.Hypotension.MultipleVasopressors => a.VasopressinOnlyAdded ? 3 : 4,
            _ => 0,
        };

        public static int Oxygen(Assessment a) => a.Oxygen switch
        {
            OxygenSupport.LowFlowNasalCannula => a.OxygenFlowLPerMin > 6 ? 3 : 2,
            OxygenSupport.HighFlowNasalCannula or OxygenSupport.Facemask or OxygenSupport.NonRebreather or OxygenSupport.Venturi => 3,
            OxygenSupport.Cpap or OxygenSupport.Bipap or OxygenSupport.MechanicalVentilation => 4,
            _ => 0,
        };

        public static int? Ice(int? ice) => ice switch { null => null, 10 => 0, >= 7 => 1, >= 3 => 2, _ => 3 };

        public static int? Capd(int? capd) => capd switch { null => null, 0 => 0, <= 8 => 1, _ => 3 };

        public static int Consciousness(Consciousness? c) => c switch
        {
            Grading.Consciousness.AwakensToVoice => 2,
            Grading.Consciousness.AwakensToTactile => 3,
            Grading.Consciousness.Unarousable or Grading.Consciousness.Stupor or Grading.Consciousness.Coma => 4,
            _ => 0,
        };

        public static int Seizure(Seizure? s) => s switch
        {
            Grading.Seizure.FocalOrGeneralizedResolvedRapidly or Grading.Seizure.NonConvulsiveOnEegResolvedWithIntervention => 3,
            Grading.Seizure.ProlongedOver5MinOrRepetitive => 4,
            _ => 0,
        };

        public static int Motor(MotorFinding? m) => m == MotorFinding.DeepFocalWeakness ? 4 : 0;

        public static int Edema(CerebralEdema? e) => e switch
        {
            CerebralEdema.FocalLocal => 3,
            CerebralEdema.Diffuse or CerebralEdema.PosturingOrCnVIPalsyOrPapilledemaOrCushingTriad => 4,
            _ => 0,
        };
    }
}

/// <summary>An assessment and a copy in which some inputs were made more severe and none less.</summary>
public sealed record AssessmentPair(Assessment Base, Assessment Worse);

public static class AssessmentArbitraries
{
    // Severity ladders: each step is at least as severe as the one before (CLINICAL-RULES.md §1.3, §2.5, §3.2).
    private static readonly (Hypotension? Kind, bool Vasopressin)[] HypotensionLadder =
        [(null, false), (Hypotension.None, false), (Hypotension.FluidResponsive, false), (Hypotension.OneVasopressor, false),
         (Hypotension.MultipleVasopressors, true), (Hypotension.MultipleVasopressors, false)];

    private static readonly OxygenSupport?[][] OxygenLevels =
        [[null, OxygenSupport.None], [OxygenSupport.LowFlowNasalCannula],
         [OxygenSupport.HighFlowNasalCannula, OxygenSupport.Facemask, OxygenSupport.NonRebreather, OxygenSupport.Venturi],
         [OxygenSupport.Cpap, OxygenSupport.Bipap, OxygenSupport.MechanicalVentilation]];

    private static readonly Consciousness?[][] ConsciousnessLevels =
        [[null, Consciousness.AwakensSpontaneously], [Consciousness.AwakensToVoice], [Consciousness.AwakensToTactile],
         [Consciousness.Unarousable, Consciousness.Stupor, Consciousness.Coma]];

    private static readonly Seizure?[][] SeizureLevels =
        [[null, Seizure.None], [Seizure.FocalOrGeneralizedResolvedRapidly, Seizure.NonConvulsiveOnEegResolvedWithIntervention],
         [Seizure.ProlongedOver5MinOrRepetitive]];

    private static readonly CerebralEdema?[][] EdemaLevels =
        [[null, CerebralEdema.None], [CerebralEdema.FocalLocal], [CerebralEdema.Diffuse, CerebralEdema.PosturingOrCnVIPalsyOrPapilledemaOrCushingTriad]];

    public static Arbitrary<AssessmentPair> Pairs() => Arb.From(
        from age in Gen.Elements(3.0, 11.9, 12.0, 67.0)
        from temperature in Gen.OneOf(Gen.Constant<double?>(null), Gen.Choose(3700, 4100).Select(t => (double?)(t / 100.0)))
        from warmer in Gen.Choose(0, 150).Select(d => d / 100.0)
        from masked in Gen.Elements(false, true)
        from maskedLater in Gen.Elements(false, true)
        from hypotension in Gen.Choose(0, HypotensionLadder.Length - 1)
        from hypotensionWorse in Gen.Choose(hypotension, HypotensionLadder.Length - 1)
        from oxygen in Level(OxygenLevels)
        from flow in Gen.OneOf(Gen.Constant<double?>(null), Gen.Choose(0, 150).Select(f => (double?)(f / 10.0)))
        from moreFlow in Gen.Choose(0, 50).Select(f => f / 10.0)
        from fio2 in Gen.OneOf(Gen.Constant<double?>(null), Gen.Choose(21, 100).Select(f => (double?)f))
        from moreFio2 in Gen.Choose(0, 30)
        from ice in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 10).Select(i => (int?)i))
        from iceDrop in Gen.Choose(0, 10)
        from capd in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, 32).Select(c => (int?)c))
        from capdRise in Gen.Choose(0, 32)
        from consciousness in Level(ConsciousnessLevels)
        from seizure in Level(SeizureLevels)
        from motorWorse in Gen.Elements(false, true)
        from motor in Gen.Elements<MotorFinding?>(null, MotorFinding.None)
        from edema in Level(EdemaLevels)
        from died in Gen.Elements(false, true)
        from diedLater in Gen.Elements(false, true)
        select new AssessmentPair(
            new Assessment
            {
                AgeYears = age, TemperatureC = temperature, FeverMaskedByTreatment = masked,
                Hypotension = HypotensionLadder[hypotension].Kind, VasopressinOnlyAdded = HypotensionLadder[hypotension].Vasopressin,
                Oxygen = oxygen.Before, OxygenFlowLPerMin = flow, Fio2Percent = fio2, IceScore = ice, CapdScore = capd,
                Consciousness = consciousness.Before, Seizure = seizure.Before, Motor = motor, CerebralEdema = edema.Before, Died = died,
            },
            new Assessment
            {
                AgeYears = age, TemperatureC = temperature + warmer, FeverMaskedByTreatment = masked || maskedLater,
                Hypotension = HypotensionLadder[hypotensionWorse].Kind, VasopressinOnlyAdded = HypotensionLadder[hypotensionWorse].Vasopressin,
                Oxygen = oxygen.After, OxygenFlowLPerMin = flow + moreFlow, Fio2Percent = fio2 is null ? null : Math.Min(100, fio2.Value + moreFio2),
                IceScore = ice is null ? null : Math.Max(0, ice.Value - iceDrop), CapdScore = capd is null ? null : Math.Min(32, capd.Value + capdRise),
                Consciousness = consciousness.After, Seizure = seizure.After, Motor = motorWorse ? MotorFinding.DeepFocalWeakness : motor,
                CerebralEdema = edema.After, Died = died || diedLater,
            }));

    /// <summary>A value from one level of a ladder, and one from the same level or a higher one.</summary>
    private static Gen<(T Before, T After)> Level<T>(T[][] levels) =>
        from level in Gen.Choose(0, levels.Length - 1)
        from higher in Gen.Choose(level, levels.Length - 1)
        from before in Gen.Elements(levels[level])
        from after in Gen.Elements(levels[higher])
        select (before, after);
}
