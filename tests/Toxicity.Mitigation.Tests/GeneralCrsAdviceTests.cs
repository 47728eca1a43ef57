using Toxicity.Grading;
using Xunit;

namespace Toxicity.Mitigation.Tests;

public sealed class GeneralCrsAdviceTests
{
    [Fact]
    public void A_rise_to_grade_1_advises_evaluation_and_the_grade_1_supportive_care_each_with_its_source()
    {
        var advice = GeneralCrsAdvice.OnGradeChanged(CrsGrade.None, CrsGrade.Grade1);

        Assert.Equal([GeneralCrsAdvice.SuspectedCrs, GeneralCrsAdvice.Grade1Supportive], advice.Select(a => a.Code));
        Assert.Contains("S-BSAB24", advice[1].Source, StringComparison.Ordinal);
        Assert.Contains("acetaminophen 650-1000 mg", advice[1].Text, StringComparison.Ordinal);
        Assert.All(advice, a =>
        {
            Assert.StartsWith("Consider (clinician to confirm)", a.Text, StringComparison.Ordinal);
            Assert.StartsWith("CLINICAL-RULES.md §4.1", a.Source, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_rise_to_grade_2_advises_evaluation_tocilizumab_and_the_persisting_hypotension_row()
    {
        var advice = GeneralCrsAdvice.OnGradeChanged(CrsGrade.Grade1, CrsGrade.Grade2);

        Assert.Equal(
            [GeneralCrsAdvice.SuspectedCrs, GeneralCrsAdvice.Tocilizumab, GeneralCrsAdvice.Grade2PersistingHypotension],
            advice.Select(a => a.Code));
    }

    [Theory]
    [InlineData(CrsGrade.Grade1, CrsGrade.None)]
    [InlineData(CrsGrade.Grade2, CrsGrade.Grade1)]
    [InlineData(CrsGrade.Grade1, CrsGrade.Grade1)]
    public void A_grade_that_falls_or_stays_gives_no_advice(CrsGrade previous, CrsGrade next) =>
        Assert.Empty(GeneralCrsAdvice.OnGradeChanged(previous, next));
}
