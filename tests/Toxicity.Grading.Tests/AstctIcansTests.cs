using Xunit;

namespace Toxicity.Grading.Tests;

/// <summary>Every boundary of ASTCT ICANS (CLINICAL-RULES.md §2), one row each.</summary>
public sealed class AstctIcansTests
{
    private static Assessment Adult(int? ice = 10) => new() { AgeYears = 45, IceScore = ice, Consciousness = Consciousness.AwakensSpontaneously };

    private static Assessment Child(int? capd = 0) => new() { AgeYears = 8, CapdScore = capd, Consciousness = Consciousness.AwakensSpontaneously };

    [Theory]
    [InlineData(10, IcansGrade.None)]
    [InlineData(9, IcansGrade.Grade1)]
    [InlineData(7, IcansGrade.Grade1)]
    [InlineData(6, IcansGrade.Grade2)]
    [InlineData(3, IcansGrade.Grade2)]
    [InlineData(2, IcansGrade.Grade3)]
    [InlineData(0, IcansGrade.Grade3)] // awake with ICE 0 is 3 (R-ICANS-2)
    public void ICE_boundaries(int ice, IcansGrade expected)
    {
        var result = AstctIcans.Evaluate(Adult(ice));

        Assert.Equal(expected, result.Grade);
        Assert.Equal([$"icans.ice.{ice}"], result.Criteria.Select(c => c.Code));
    }

    [Fact]
    public void ICE_0_and_unarousable_is_grade_4()
    {
        var result = AstctIcans.Evaluate(Adult(0) with { Consciousness = Consciousness.Unarousable });

        Assert.Equal(IcansGrade.Grade4, result.Grade);
        Assert.Equal(["icans.ice.0", "icans.consciousness.unarousable"], result.Criteria.Select(c => c.Code));
    }

    [Theory]
    [InlineData(0, Consciousness.AwakensSpontaneously, IcansGrade.None)] // C-ICANS-5
    [InlineData(1, Consciousness.AwakensSpontaneously, IcansGrade.Grade1)]
    [InlineData(8, Consciousness.AwakensSpontaneously, IcansGrade.Grade1)]
    [InlineData(8, Consciousness.AwakensToVoice, IcansGrade.Grade2)]
    [InlineData(9, Consciousness.AwakensSpontaneously, IcansGrade.Grade3)]
    [InlineData(32, Consciousness.AwakensSpontaneously, IcansGrade.Grade3)]
    [InlineData(12, Consciousness.Unarousable, IcansGrade.Grade4)] // unable to perform CAPD
    public void CAPD_boundaries_for_children(int capd, Consciousness consciousness, IcansGrade expected) =>
        Assert.Equal(expected, AstctIcans.Evaluate(Child(capd) with { Consciousness = consciousness }).Grade);

    [Theory]
    [InlineData(Consciousness.AwakensSpontaneously, IcansGrade.Grade1)] // C-ICANS-1: contributes 0; ICE 8 gives 1
    [InlineData(Consciousness.AwakensToVoice, IcansGrade.Grade2)]
    [InlineData(Consciousness.AwakensToTactile, IcansGrade.Grade3)]
    [InlineData(Consciousness.Unarousable, IcansGrade.Grade4)]
    [InlineData(Consciousness.Stupor, IcansGrade.Grade4)]
    [InlineData(Consciousness.Coma, IcansGrade.Grade4)]
    public void Consciousness_is_the_worst_domain_when_it_is_worse_than_ICE(Consciousness consciousness, IcansGrade expected) =>
        Assert.Equal(expected, AstctIcans.Evaluate(Adult(8) with { Consciousness = consciousness }).Grade);

    [Theory]
    [InlineData(Seizure.None, IcansGrade.Grade1, null)]
    [InlineData(Seizure.FocalOrGeneralizedResolvedRapidly, IcansGrade.Grade3, "icans.seizure.rapidlyResolving")]
    [InlineData(Seizure.NonConvulsiveOnEegResolvedWithIntervention, IcansGrade.Grade3, "icans.seizure.nonConvulsiveEeg")]
    [InlineData(Seizure.ProlongedOver5MinOrRepetitive, IcansGrade.Grade4, "icans.seizure.prolongedOrRepetitive")]
    public void Seizure_is_the_worst_domain(Seizure seizure, IcansGrade expected, string? criterion)
    {
        var result = AstctIcans.Evaluate(Adult(8) with { Seizure = seizure });

        Assert.Equal(expected, result.Grade);
        Assert.Equal(criterion is null ? ["icans.ice.8"] : ["icans.ice.8", criterion], result.Criteria.Select(c => c.Code));
    }

    [Fact]
    public void Deep_focal_motor_weakness_is_grade_4() =>
        Assert.Equal(IcansGrade.Grade4, AstctIcans.Evaluate(Adult(10) with { Motor = MotorFinding.DeepFocalWeakness }).Grade);

    [Theory]
    [InlineData(CerebralEdema.None, IcansGrade.None)]
    [InlineData(CerebralEdema.FocalLocal, IcansGrade.Grade3)]
    [InlineData(CerebralEdema.Diffuse, IcansGrade.Grade4)]
    [InlineData(CerebralEdema.PosturingOrCnVIPalsyOrPapilledemaOrCushingTriad, IcansGrade.Grade4)]
    public void Cerebral_oedema_is_the_worst_domain(CerebralEdema edema, IcansGrade expected) =>
        Assert.Equal(expected, AstctIcans.Evaluate(Adult(10) with { CerebralEdema = edema }).Grade);

    [Fact]
    public void ICE_3_with_a_generalized_seizure_is_grade_3() => // R-ICANS-1 worked example
        Assert.Equal(IcansGrade.Grade3, AstctIcans.Evaluate(Adult(3) with { Seizure = Seizure.FocalOrGeneralizedResolvedRapidly }).Grade);

    [Theory]
    [InlineData(11.0, "icans.capd.4")]
    [InlineData(11.9, "icans.capd.4")]
    [InlineData(12.0, "icans.ice.6")]
    public void Age_picks_one_score_and_reports_the_other_as_not_used(double age, string used)
    {
        var result = AstctIcans.Evaluate(new Assessment { AgeYears = age, IceScore = 6, CapdScore = 4 });

        Assert.Equal([used], result.Criteria.Select(c => c.Code));
        Assert.Equal(age < 12 ? IcansGrade.Grade1 : IcansGrade.Grade2, result.Grade);
        Assert.Equal([age < 12 ? "icans.scoreNotUsed.ice" : "icans.scoreNotUsed.capd"], result.Warnings.Select(w => w.Code));
    }

    [Theory]
    [InlineData(45.0)]
    [InlineData(6.0)]
    public void A_missing_score_is_not_gradable_unless_another_domain_reaches_3(double age)
    {
        var missing = AstctIcans.Evaluate(new Assessment { AgeYears = age, Consciousness = Consciousness.AwakensToVoice });
        Assert.Null(missing.Grade);
        Assert.NotNull(missing.Reason);
        Assert.Contains(missing.Criteria, c => c.Code == "icans.notGradable.scoreMissing");

        var decided = AstctIcans.Evaluate(new Assessment { AgeYears = age, Seizure = Seizure.FocalOrGeneralizedResolvedRapidly });
        Assert.Equal(IcansGrade.Grade3, decided.Grade);
    }

    [Fact]
    public void Death_while_ICANS_is_present_is_grade_5_and_without_ICANS_stays_0()
    {
        Assert.Equal(IcansGrade.Grade5, AstctIcans.Evaluate(Adult(5) with { Died = true }).Grade);
        Assert.Equal(IcansGrade.None, AstctIcans.Evaluate(Adult(10) with { Died = true }).Grade);
    }
}
