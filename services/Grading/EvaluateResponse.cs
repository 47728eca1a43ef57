namespace Toxicity.Grading.Service;

/// <summary>The answer of the grading calculator: one entry per scale.</summary>
internal sealed record EvaluateResponse(ScaleAnswer AstctCrs, ScaleAnswer AstctIcans, ScaleAnswer CtcaeCrs)
{
    public static EvaluateResponse From(GradingResult result) =>
        new(ScaleAnswer.From(result.AstctCrs), ScaleAnswer.From(result.AstctIcans), ScaleAnswer.From(result.CtcaeCrs));
}

/// <summary>
/// One scale: the grade (null when the scale cannot decide, with <see cref="Reason"/>), the criteria that fired,
/// data-quality warnings, the rule set and its citation; under rule set /2 whether the grade is a lower bound ("at
/// least"; a lower bound of 0 reads "not assessed") or provisional (possible CRS, for a clinician to confirm).
/// </summary>
internal sealed record ScaleAnswer(
    int? Grade,
    IReadOnlyList<Criterion> Criteria,
    string RuleSet,
    string Citation,
    string? Reason,
    IReadOnlyList<Criterion> Warnings,
    bool LowerBound,
    bool Provisional)
{
    public static ScaleAnswer From<TGrade>(ScaleResult<TGrade> result)
        where TGrade : struct, Enum =>
        new(result.Grade is { } grade ? Convert.ToInt32(grade, null) : null, result.Criteria, result.RuleSet.Id, result.RuleSet.Citation,
            result.Reason, result.Warnings, result.LowerBound, result.Provisional);
}
