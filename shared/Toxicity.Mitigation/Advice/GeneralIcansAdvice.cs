using Toxicity.Grading;

namespace Toxicity.Mitigation;

/// <summary>
/// General ICANS advice for any bispecific (CLINICAL-RULES.md §4.1), by the grade reached, with the seizure row when
/// the grading criteria name a seizure. Where the sources disagree (grade ≥ 2 steroid frequency, §7.2) both are shown,
/// each cited.
/// </summary>
public static class GeneralIcansAdvice
{
    /// <summary>Code of the "ICANS 1 (bispecific consensus)" row.</summary>
    public const string Grade1Observe = "general.icans1.observe";

    /// <summary>Code of the "ICANS 2 (bispecific consensus)" row: dexamethasone every 12 h (S-BSAB24).</summary>
    public const string Grade2Bsab24 = "general.icans2.dexamethasone-q12h";

    /// <summary>Code of the "ICANS ≥ 2 (CAR-T-derived)" row: dexamethasone every 6 h (S-JCM23).</summary>
    public const string Grade2OrMoreJcm23 = "general.icans2plus.dexamethasone-q6h";

    /// <summary>Code of the ❌ "ICANS 3-4 (bispecific consensus)" row: consult the source.</summary>
    public const string Grade3To4NotEncoded = "general.icans3-4.not-encoded";

    /// <summary>Code of the "ICANS with seizure" row.</summary>
    public const string Seizure = "general.icans.seizure.antiepileptic";

    /// <summary>Prefix of the grading criteria codes that name a seizure (CLINICAL-RULES.md §7.3).</summary>
    public const string SeizureCriterionPrefix = "icans.seizure.";

    private static readonly Advice Grade1Advice = new(
        Grade1Observe,
        Wording.Consider("observation or close outpatient monitoring depending on the situation; dexamethasone 10 mg once "
            + "can be considered."),
        Wording.Cite("§4.1", "S-BSAB24 Table 4"));

    private static readonly Advice Grade2Bsab24Advice = new(
        Grade2Bsab24,
        Wording.Consider("admit for monitoring; dexamethasone 10 mg IV every 12 h, followed by a taper (the source's taper "
            + "condition reads \"once grade ≥1\", presumably ≤ 1: confirm). Bispecific consensus; S-JCM23 gives every 6 h "
            + "instead (next item): the sources disagree on frequency."),
        Wording.Cite("§4.1, §7.2", "S-BSAB24 Table 4"));

    private static readonly Advice Grade2OrMoreJcm23Advice = new(
        Grade2OrMoreJcm23,
        Wording.Consider("(CAR-T-derived guidance for ICANS ≥ 2) dexamethasone 10-20 mg IV every 6 h (or methylprednisolone "
            + "equivalent) for 1-3 days; ICU transfer if there is grade ≥ 2 CRS at the same time. The bispecific consensus "
            + "(S-BSAB24) gives every 12 h for grade 2: the sources disagree on frequency."),
        Wording.Cite("§4.1, §7.2", "S-JCM23"));

    private static readonly Advice Grade3To4Advice = new(
        Grade3To4NotEncoded,
        Wording.NotEncoded("the bispecific consensus (S-BSAB24 Table 4) for ICANS grade 3-4 management; its rows were not "
            + "retrieved."),
        Wording.Cite("§4.1, §7.1", "S-BSAB24 Table 4 ❌ not retrieved"));

    private static readonly Advice SeizureAdvice = new(
        Seizure,
        Wording.Consider("treat seizures with benzodiazepines, levetiracetam or other antiepileptic drugs (the source gives "
            + "no doses)."),
        Wording.Cite("§4.1", "S-CCM18"));

    /// <summary>
    /// The general advice for a change from <paramref name="previous"/> to <paramref name="next"/> graded on
    /// <paramref name="criteria"/>: empty unless the grade rose.
    /// </summary>
    public static IReadOnlyList<Advice> OnGradeChanged(IcansGrade previous, IcansGrade next, IReadOnlyList<string> criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        return next > previous ? ForGrade(next, criteria) : [];
    }

    /// <summary>True when one of <paramref name="criteria"/> names a seizure (codes starting "icans.seizure.").</summary>
    public static bool HasSeizure(IReadOnlyList<string> criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        return criteria.Any(c => c.StartsWith(SeizureCriterionPrefix, StringComparison.Ordinal));
    }

    /// <summary>The §4.1 rows for an ICANS grade just reached; none for 0 and 5 (death due to ICANS).</summary>
    internal static IReadOnlyList<Advice> ForGrade(IcansGrade grade, IReadOnlyList<string> criteria)
    {
        if (grade is <= IcansGrade.None or >= IcansGrade.Grade5)
        {
            return [];
        }

        List<Advice> items = [];
        switch (grade)
        {
            case IcansGrade.Grade1:
                items.Add(Grade1Advice);
                break;
            case IcansGrade.Grade2:
                items.Add(Grade2Bsab24Advice);
                items.Add(Grade2OrMoreJcm23Advice);
                break;
            default:
                items.Add(Grade2OrMoreJcm23Advice);
                items.Add(Grade3To4Advice);
                break;
        }

        if (HasSeizure(criteria))
        {
            items.Add(SeizureAdvice);
        }

        return items;
    }
}
