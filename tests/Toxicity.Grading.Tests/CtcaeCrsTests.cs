using Xunit;

namespace Toxicity.Grading.Tests;

/// <summary>CTCAE v5.0 CRS by the computable convention C-CTC-1 (CLINICAL-RULES.md §3.2).</summary>
public sealed class CtcaeCrsTests
{
    private static Assessment Febrile(Hypotension? hypotension = null, OxygenSupport? oxygen = null, double? fio2 = null) =>
        new() { AgeYears = 45, TemperatureC = 38.4, Hypotension = hypotension, Oxygen = oxygen, Fio2Percent = fio2 };

    [Theory]
    [InlineData(null, null, null, 1)]
    [InlineData(Hypotension.FluidResponsive, null, null, 2)]
    [InlineData(Hypotension.OneVasopressor, null, null, 3)]
    [InlineData(null, OxygenSupport.LowFlowNasalCannula, 39.0, 2)]
    [InlineData(null, OxygenSupport.Facemask, 40.0, 3)]
    [InlineData(Hypotension.FluidResponsive, OxygenSupport.Venturi, 60.0, 3)]
    public void A_grade_is_given_when_every_component_is_decided(Hypotension? hypotension, OxygenSupport? oxygen, double? fio2, int expected)
    {
        var result = CtcaeCrs.Evaluate(Febrile(hypotension, oxygen, fio2));

        Assert.Equal((CrsGrade)expected, result.Grade);
        Assert.Null(result.Reason);
        Assert.Equal("ctcae-5.0-crs/1", result.RuleSet.Id);
    }

    [Theory]
    [InlineData(Hypotension.MultipleVasopressors, null, null, "ctcae.crs.range.3-4")]
    [InlineData(null, OxygenSupport.LowFlowNasalCannula, null, "ctcae.crs.range.2-3")] // no FiO2
    [InlineData(null, OxygenSupport.Cpap, 30.0, "ctcae.crs.range.2-4")]
    [InlineData(null, OxygenSupport.MechanicalVentilation, 50.0, "ctcae.crs.range.3-4")]
    [InlineData(null, OxygenSupport.Bipap, null, "ctcae.crs.range.2-4")]
    public void A_grade_the_inputs_cannot_decide_is_null_with_its_range(Hypotension? hypotension, OxygenSupport? oxygen, double? fio2, string range)
    {
        var result = CtcaeCrs.Evaluate(Febrile(hypotension, oxygen, fio2));

        Assert.Null(result.Grade);
        Assert.Contains(result.Criteria, c => c.Code == range);
        Assert.Contains("needs FiO₂ / clinician judgement", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decided_range_beats_an_undecided_lower_one() => // oxygen [2,3] with hypotension [3,3] is 3
        Assert.Equal(CrsGrade.Grade3, CtcaeCrs.Evaluate(Febrile(Hypotension.OneVasopressor, OxygenSupport.Facemask)).Grade);

    [Fact]
    public void Presence_follows_the_ASTCT_gate()
    {
        Assert.Equal(CrsGrade.None, CtcaeCrs.Evaluate(new Assessment { AgeYears = 45, TemperatureC = 37.2 }).Grade);
        Assert.Null(CtcaeCrs.Evaluate(new Assessment { AgeYears = 45 }).Grade);
        Assert.Equal(CrsGrade.Grade5, CtcaeCrs.Evaluate(Febrile() with { Died = true }).Grade);
    }
}
