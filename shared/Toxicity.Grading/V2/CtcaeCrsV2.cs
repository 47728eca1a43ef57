namespace Toxicity.Grading.V2;

/// <summary>
/// CTCAE v5.0 CRS under rule set <c>ctcae-5.0-crs/2</c> (CLINICAL-RULES.md §3.2, §8.5): the component ranges of
/// convention C-CTC-1 (shared with <see cref="CtcaeCrs"/>) behind the presence gate of <see cref="AstctCrsV2"/>, so
/// that CTCAE is graded exactly when ASTCT /2 finds CRS (provisional with it), and with the same lower bounds: a
/// component that is not known contributes nothing and makes the grade "at least" when it could raise it. Pure.
/// </summary>
public static class CtcaeCrsV2
{
    private static readonly Criterion[] None = [];

    public static ScaleResult<CrsGrade> Evaluate(Assessment assessment, ScaleResult<CrsGrade> astct)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(astct);
        switch (astct.Grade)
        {
            case null:
                return new ScaleResult<CrsGrade>(null, [Criteria.CtcaeTemperatureMissing], RuleSet.Ctcae5CrsV2, astct.Reason, None);
            case CrsGrade.None:
                return new ScaleResult<CrsGrade>(CrsGrade.None, [Criteria.CtcaeNoFever], RuleSet.Ctcae5CrsV2, astct.Reason, None, astct.LowerBound);
            case CrsGrade.Grade5:
                return new ScaleResult<CrsGrade>(CrsGrade.Grade5, [Criteria.CtcaeDeath], RuleSet.Ctcae5CrsV2, null, None, Provisional: astct.Provisional);
        }

        List<Criterion> criteria = [astct.Provisional ? Criteria.CtcaePossibleMaskedFever : Criteria.CtcaeFever];
        var components = AstctCrsV2.Components.Of(assessment);
        var (hypotensionLow, hypotensionHigh) = components.Hypotension is null ? (0, 0) : CtcaeCrs.HypotensionRange(assessment.Hypotension, criteria);
        var (oxygenLow, oxygenHigh) = components.Oxygen is null ? (0, 0) : CtcaeCrs.OxygenRange(assessment, criteria);
        var low = Math.Max(1, Math.Max(hypotensionLow, oxygenLow));
        var high = Math.Max(1, Math.Max(hypotensionHigh, oxygenHigh));
        if (low != high)
        {
            criteria.Add(Criteria.CtcaeRange(low, high));
            return new ScaleResult<CrsGrade>(null, criteria, RuleSet.Ctcae5CrsV2,
                $"CTCAE grade between {low} and {high}; needs FiO₂ / clinician judgement (C-CTC-1)", None, Provisional: astct.Provisional);
        }

        // An unknown component could give up to 4 on CTCAE too (hypotension at most 2 when no vasopressor runs).
        var unknownUpper = Math.Max(components.Hypotension is null ? components.HypotensionUpper : 0, components.Oxygen is null ? 4 : 0);
        var lowerBound = unknownUpper > low;
        if (lowerBound)
        {
            criteria.Add(Criteria.CtcaeLowerBoundComponentsNotReported);
        }

        return new ScaleResult<CrsGrade>((CrsGrade)low, criteria, RuleSet.Ctcae5CrsV2, lowerBound ? components.NotReported() : null, None,
            lowerBound, astct.Provisional);
    }
}
