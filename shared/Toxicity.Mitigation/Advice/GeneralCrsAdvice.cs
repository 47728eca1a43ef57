using Toxicity.Grading;

namespace Toxicity.Mitigation;

/// <summary>
/// General advice for any bispecific when the CRS grade rises (CLINICAL-RULES.md §4.1). The walking skeleton
/// uses the rows for suspected CRS and CRS grade 1; drug-specific label rules (§5) and the higher grades come
/// with the mitigation issue (issue 7) and outrank these rows.
/// </summary>
public static class GeneralCrsAdvice
{
    /// <summary>Code of the "any suspected CRS" row.</summary>
    public const string SuspectedCrs = "crs.any.evaluateAndWithhold";

    /// <summary>Code of the "CRS 1 (bispecific consensus)" row.</summary>
    public const string Grade1Supportive = "crs.grade1.supportiveCare";

    private static readonly Advice SuspectedCrsAdvice = new(
        SuspectedCrs,
        "Consider (clinician to confirm): identify CRS from the clinical picture; evaluate for and treat other causes "
        + "of fever, hypoxia and hypotension; withhold the bispecific until CRS resolves, as the drug's label says.",
        "CLINICAL-RULES.md §4.1 (S-COL-MS; S-EPK-HCP; S-LUN-US)");

    private static readonly Advice Grade1Advice = new(
        Grade1Supportive,
        "Consider (clinician to confirm): acetaminophen 650-1000 mg orally, repeatable at least 6-8 h later if clinically "
        + "stable; oral hydration; temperature every 1-2 h. If fever is refractory or recurs within 6-8 h, consider "
        + "dexamethasone 10 mg once.",
        "CLINICAL-RULES.md §4.1 (S-BSAB24 Table 3)");

    /// <summary>The advice for a change from <paramref name="previous"/> to <paramref name="next"/>; empty when the grade did not rise.</summary>
    public static IReadOnlyList<Advice> OnGradeChanged(CrsGrade previous, CrsGrade next)
    {
        if (next <= previous || next == CrsGrade.None)
        {
            return [];
        }

        return next == CrsGrade.Grade1 ? [SuspectedCrsAdvice, Grade1Advice] : [SuspectedCrsAdvice];
    }
}
