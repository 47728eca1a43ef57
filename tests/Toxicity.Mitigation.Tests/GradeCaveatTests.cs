using Toxicity.Grading.Timeline;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>What rule set astct-2019/2 says about the grade comes before the label and general rows (CLINICAL-RULES.md §8).</summary>
public sealed class GradeCaveatTests
{
    [Fact]
    public void C2_MASK_2_possible_CRS_is_to_be_confirmed_before_the_label_rows()
    {
        var advice = MitigationAdvisor.OnGradeChanged(Patients.On("epcoritamab", 70), GradeScale.Crs, 0, 3, ["crs.possibleMaskedFever", "crs.hypotension.oneVasopressor"]);

        Patients.AssertWellFormed(advice);
        Assert.Equal("crs.possible-masked-fever.confirm", advice[0].Code);
        Assert.Contains("premedication or prophylaxis may mask fever", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("exclude other causes", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("§8.3 C2-MASK-2", advice[0].Source, StringComparison.Ordinal);
        Assert.Contains(advice.Skip(1), a => a.Code.StartsWith("epcoritamab.", StringComparison.Ordinal)); // the label rows still follow
    }

    [Fact]
    public void C2_EP_1_organ_support_long_after_the_fever_asks_for_other_causes_first()
    {
        var advice = MitigationAdvisor.OnGradeChanged(Patients.WithoutRegimen(), GradeScale.Crs, 1, 3, ["crs.feverEarlierInEpisode", "crs.hypotension.oneVasopressor", "crs.feverResolvedOver24h"]);

        Assert.Equal("crs.fever-resolved-over-24h.other-causes", advice[0].Code);
        Assert.Contains("consider other causes (e.g. infection)", advice[0].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("icans.lowerBound.scoreMissing", "a current ICE (or CAPD)")]
    [InlineData("icans.lowerBound.consciousnessUnknown", "the level of consciousness")]
    public void C2_LB_1_a_lower_bound_asks_for_the_missing_reading(string criterion, string missing)
    {
        var advice = MitigationAdvisor.OnGradeChanged(Patients.WithoutRegimen(), GradeScale.Icans, 0, 2, [criterion]);

        Assert.Equal("grade.lower-bound.assess", advice[0].Code);
        Assert.Contains($"at least 2): {missing}", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains(advice, a => a.Code.StartsWith("general.icans", StringComparison.Ordinal));
    }

    [Fact]
    public void An_exact_grade_has_no_caveat() =>
        Assert.DoesNotContain(MitigationAdvisor.OnGradeChanged(Patients.WithoutRegimen(), GradeScale.Crs, 0, 2, ["crs.fever", "crs.hypotension.fluidResponsive"]),
            a => a.Code.StartsWith("grade.", StringComparison.Ordinal) || a.Code.StartsWith("crs.", StringComparison.Ordinal));
}
