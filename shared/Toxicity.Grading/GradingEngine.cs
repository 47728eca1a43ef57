namespace Toxicity.Grading;

/// <summary>Grades one assessment snapshot on the three scales. Pure: no clock, no I/O, no state.</summary>
public static class GradingEngine
{
    public static GradingResult Evaluate(Assessment assessment) => new(
        AstctCrs.Evaluate(assessment),
        AstctIcans.Evaluate(assessment),
        CtcaeCrs.Evaluate(assessment));
}
