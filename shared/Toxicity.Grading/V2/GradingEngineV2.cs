namespace Toxicity.Grading.V2;

/// <summary>Grades one assessment snapshot under rule set <c>astct-2019/2</c> with <c>ctcae-5.0-crs/2</c> (CLINICAL-RULES.md §8.5). Pure.</summary>
public static class GradingEngineV2
{
    public static GradingResult Evaluate(Assessment assessment)
    {
        var crs = AstctCrsV2.Evaluate(assessment);
        return new GradingResult(crs, AstctIcansV2.Evaluate(assessment), CtcaeCrsV2.Evaluate(assessment, crs));
    }
}
