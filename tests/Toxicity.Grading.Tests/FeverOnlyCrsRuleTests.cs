using Xunit;

namespace Toxicity.Grading.Tests;

public sealed class FeverOnlyCrsRuleTests
{
    [Theory]
    [InlineData(37.9, false)]
    [InlineData(37.99, false)]
    [InlineData(38.0, true)]  // R-CRS-1: fever is >= 38.0 °C
    [InlineData(40.2, true)]
    public void Fever_is_a_temperature_of_38_0_or_more(double temperatureC, bool raisesGrade1)
    {
        var change = FeverOnlyCrsRule.Apply(CrsGrade.None, temperatureC);

        Assert.Equal(raisesGrade1, change is not null);
        if (change is not null)
        {
            Assert.Equal(CrsGrade.None, change.Previous);
            Assert.Equal(CrsGrade.Grade1, change.Next);
            Assert.Equal(["crs.fever"], change.Criteria);
            Assert.Equal("skeleton-fever/1", change.RuleSet);
        }
    }

    [Fact]
    public void No_temperature_changes_nothing() => Assert.Null(FeverOnlyCrsRule.Apply(CrsGrade.None, null));

    [Theory]
    [InlineData(CrsGrade.Grade1)]
    [InlineData(CrsGrade.Grade3)]
    public void A_fever_at_grade_1_or_above_is_no_change(CrsGrade current) => Assert.Null(FeverOnlyCrsRule.Apply(current, 39.0));

    [Fact]
    public void A_normal_temperature_does_not_lower_the_grade() => Assert.Null(FeverOnlyCrsRule.Apply(CrsGrade.Grade1, 36.5));
}
