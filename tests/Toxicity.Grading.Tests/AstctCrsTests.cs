using Xunit;

namespace Toxicity.Grading.Tests;

/// <summary>Every boundary of ASTCT CRS (CLINICAL-RULES.md §1), one row each.</summary>
public sealed class AstctCrsTests
{
    private static Assessment Febrile(Hypotension? hypotension = null, OxygenSupport? oxygen = null, double? flow = null, bool vasopressin = false) => new()
    {
        AgeYears = 45,
        TemperatureC = 38.6,
        Hypotension = hypotension,
        Oxygen = oxygen,
        OxygenFlowLPerMin = flow,
        VasopressinOnlyAdded = vasopressin,
    };

    [Theory]
    [InlineData(37.9, CrsGrade.None, "crs.noFever")]
    [InlineData(37.99, CrsGrade.None, "crs.noFever")] // C-CRS-1: never rounded
    [InlineData(38.0, CrsGrade.Grade1, "crs.fever")]
    [InlineData(41.2, CrsGrade.Grade1, "crs.fever")]
    public void Fever_is_38_0_or_more(double temperatureC, CrsGrade expected, string criterion)
    {
        var result = AstctCrs.Evaluate(new Assessment { AgeYears = 45, TemperatureC = temperatureC });

        Assert.Equal(expected, result.Grade);
        Assert.Equal([criterion], result.Criteria.Select(c => c.Code));
        Assert.Equal("astct-2019/1", result.RuleSet.Id);
        Assert.Contains("Biol Blood Marrow Transplant 2019", result.RuleSet.Citation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Hypotension.None, CrsGrade.Grade1, null)]
    [InlineData(Hypotension.FluidResponsive, CrsGrade.Grade2, "crs.hypotension.fluidResponsive")]
    [InlineData(Hypotension.OneVasopressor, CrsGrade.Grade3, "crs.hypotension.oneVasopressor")]
    [InlineData(Hypotension.MultipleVasopressors, CrsGrade.Grade4, "crs.hypotension.multipleVasopressors")]
    public void Hypotension_is_graded_by_what_it_needs(Hypotension hypotension, CrsGrade expected, string? criterion)
    {
        var result = AstctCrs.Evaluate(Febrile(hypotension));

        Assert.Equal(expected, result.Grade);
        Assert.Equal(criterion is null ? ["crs.fever"] : ["crs.fever", criterion], result.Criteria.Select(c => c.Code));
    }

    [Fact]
    public void A_vasopressor_plus_vasopressin_is_grade_3_not_4()
    {
        var result = AstctCrs.Evaluate(Febrile(Hypotension.MultipleVasopressors, vasopressin: true));

        Assert.Equal(CrsGrade.Grade3, result.Grade);
        Assert.Contains(result.Criteria, c => c.Code == "crs.hypotension.oneVasopressorPlusVasopressin");
    }

    [Fact]
    public void Vasopressin_alone_changes_nothing_without_multiple_vasopressors() =>
        Assert.Equal(CrsGrade.Grade3, AstctCrs.Evaluate(Febrile(Hypotension.OneVasopressor, vasopressin: true)).Grade);

    [Theory]
    [InlineData(OxygenSupport.None, null, CrsGrade.Grade1, null)]
    [InlineData(OxygenSupport.LowFlowNasalCannula, null, CrsGrade.Grade2, "crs.hypoxia.lowFlowNasalCannula")]
    [InlineData(OxygenSupport.LowFlowNasalCannula, 6.0, CrsGrade.Grade2, "crs.hypoxia.lowFlowNasalCannula")]
    [InlineData(OxygenSupport.LowFlowNasalCannula, 6.1, CrsGrade.Grade3, "crs.hypoxia.nasalCannulaOver6LPerMin")]
    [InlineData(OxygenSupport.HighFlowNasalCannula, 30.0, CrsGrade.Grade3, "crs.hypoxia.highFlowNasalCannula")]
    [InlineData(OxygenSupport.Facemask, null, CrsGrade.Grade3, "crs.hypoxia.facemask")]
    [InlineData(OxygenSupport.NonRebreather, null, CrsGrade.Grade3, "crs.hypoxia.nonRebreather")]
    [InlineData(OxygenSupport.Venturi, null, CrsGrade.Grade3, "crs.hypoxia.venturi")]
    [InlineData(OxygenSupport.Cpap, null, CrsGrade.Grade4, "crs.hypoxia.positivePressure")]
    [InlineData(OxygenSupport.Bipap, null, CrsGrade.Grade4, "crs.hypoxia.positivePressure")]
    [InlineData(OxygenSupport.MechanicalVentilation, null, CrsGrade.Grade4, "crs.hypoxia.positivePressure")]
    public void Hypoxia_is_graded_by_the_support_it_needs(OxygenSupport oxygen, double? flow, CrsGrade expected, string? criterion)
    {
        var result = AstctCrs.Evaluate(Febrile(oxygen: oxygen, flow: flow));

        Assert.Equal(expected, result.Grade);
        Assert.Equal(criterion is null ? ["crs.fever"] : ["crs.fever", criterion], result.Criteria.Select(c => c.Code));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void High_flow_reported_at_6_L_per_min_or_less_is_graded_by_the_device_with_a_warning()
    {
        var result = AstctCrs.Evaluate(Febrile(oxygen: OxygenSupport.HighFlowNasalCannula, flow: 6.0));

        Assert.Equal(CrsGrade.Grade3, result.Grade);
        Assert.Equal(["crs.dataQuality.highFlowAtOrBelow6LPerMin"], result.Warnings.Select(w => w.Code));
    }

    [Theory]
    [InlineData(Hypotension.OneVasopressor, OxygenSupport.LowFlowNasalCannula, CrsGrade.Grade3)] // R-CRS-4 worked example
    [InlineData(Hypotension.FluidResponsive, OxygenSupport.Bipap, CrsGrade.Grade4)]
    [InlineData(Hypotension.MultipleVasopressors, OxygenSupport.LowFlowNasalCannula, CrsGrade.Grade4)]
    [InlineData(Hypotension.FluidResponsive, OxygenSupport.LowFlowNasalCannula, CrsGrade.Grade2)]
    public void When_hypotension_and_hypoxia_disagree_the_more_severe_decides(Hypotension hypotension, OxygenSupport oxygen, CrsGrade expected) =>
        Assert.Equal(expected, AstctCrs.Evaluate(Febrile(hypotension, oxygen)).Grade);

    [Fact]
    public void Without_fever_ever_it_is_not_CRS_even_on_vasopressors_and_a_ventilator()
    {
        var result = AstctCrs.Evaluate(new Assessment
        {
            AgeYears = 45, TemperatureC = 36.9, Hypotension = Hypotension.MultipleVasopressors, Oxygen = OxygenSupport.MechanicalVentilation,
        });

        Assert.Equal(CrsGrade.None, result.Grade);
        Assert.Equal(["crs.noFever"], result.Criteria.Select(c => c.Code));
    }

    [Fact]
    public void A_masked_fever_no_longer_needs_a_temperature_and_grades_by_hypotension_and_hypoxia()
    {
        var result = AstctCrs.Evaluate(new Assessment
        {
            AgeYears = 45, TemperatureC = 37.0, FeverMaskedByTreatment = true, Hypotension = Hypotension.OneVasopressor,
        });

        Assert.Equal(CrsGrade.Grade3, result.Grade);
        Assert.Equal(["crs.feverMasked", "crs.hypotension.oneVasopressor"], result.Criteria.Select(c => c.Code));
    }

    [Fact]
    public void A_masked_fever_alone_is_grade_1() =>
        Assert.Equal(CrsGrade.Grade1, AstctCrs.Evaluate(new Assessment { AgeYears = 45, FeverMaskedByTreatment = true }).Grade);

    [Fact]
    public void No_temperature_and_no_masked_fever_is_not_gradable_never_0()
    {
        var result = AstctCrs.Evaluate(new Assessment { AgeYears = 45, Hypotension = Hypotension.OneVasopressor });

        Assert.Null(result.Grade);
        Assert.NotNull(result.Reason);
        Assert.Equal(["crs.notGradable.temperatureMissing"], result.Criteria.Select(c => c.Code));
    }

    [Fact]
    public void Death_while_CRS_is_present_is_grade_5_with_attribution_left_to_a_clinician()
    {
        var result = AstctCrs.Evaluate(Febrile(Hypotension.FluidResponsive) with { Died = true });

        Assert.Equal(CrsGrade.Grade5, result.Grade);
        var death = Assert.Single(result.Criteria, c => c.Code == "crs.death");
        Assert.Contains("confirmed by a clinician", death.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Death_without_CRS_leaves_CRS_at_0() =>
        Assert.Equal(CrsGrade.None, AstctCrs.Evaluate(new Assessment { AgeYears = 45, TemperatureC = 36.8, Died = true }).Grade);
}
