namespace Toxicity.Grading;

/// <summary>
/// The walking skeleton's placeholder CRS rule (issue 3): a recorded fever makes the patient's CRS grade 1,
/// and nothing in this rule lowers it again. It knows nothing of hypotension, hypoxia, masked fever or
/// episodes; the full ASTCT engine (issue 4) and the per-patient timeline (issue 6) replace it.
/// </summary>
public static class FeverOnlyCrsRule
{
    /// <summary>The rule-set id carried by every grade change this rule produces.</summary>
    public const string RuleSet = "skeleton-fever/1";


    /// <summary>
    /// The grade after one temperature reading, given the grade the patient has now. Returns a change only
    /// when the grade differs from <paramref name="current"/>.
    /// </summary>
    public static CrsGradeTransition? Apply(CrsGrade current, double? temperatureC)
    {
        if (temperatureC is not { } t || !AstctCrs.IsFever(t) || current >= CrsGrade.Grade1)
        {
            return null;
        }

        return new CrsGradeTransition(current, CrsGrade.Grade1, RuleSet, [Criteria.CrsFever.Code]);
    }
}

/// <summary>A change of CRS grade and the criteria that fired for the new one.</summary>
public sealed record CrsGradeTransition(CrsGrade Previous, CrsGrade Next, string RuleSet, IReadOnlyList<string> Criteria);
