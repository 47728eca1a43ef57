using Toxicity.Grading;

namespace Toxicity.Mitigation;

/// <summary>
/// General CRS advice for any bispecific (CLINICAL-RULES.md §4.1), by the grade reached. Label rules of the patient's
/// drug (§5) outrank these rows and come before them (<see cref="MitigationAdvisor"/>).
/// </summary>
public static class GeneralCrsAdvice
{
    /// <summary>Code of the "any suspected CRS" row: every rise to grade 1-4.</summary>
    public const string SuspectedCrs = "general.crs.suspected";

    /// <summary>Code of the "CRS 1 (bispecific consensus)" row.</summary>
    public const string Grade1Supportive = "general.crs1.supportive";

    /// <summary>Code of the "CRS ≥ 2" tocilizumab row (with the computed dose when the weight is known).</summary>
    public const string Tocilizumab = "general.crs2.tocilizumab";

    /// <summary>Code of the "CRS 2 with hypotension persisting after 1-2 doses of anti-IL-6" row.</summary>
    public const string Grade2PersistingHypotension = "general.crs2.dexamethasone-if-hypotension-persists";

    /// <summary>Code of the "CRS 3" row.</summary>
    public const string Grade3 = "general.crs3.tocilizumab-dexamethasone-icu";

    /// <summary>Code of the "CRS 4" row (S-ASTCT-h, the engine's default, §7.2).</summary>
    public const string Grade4 = "general.crs4.methylprednisolone";

    /// <summary>Code of the note that S-JCM23 gives a different grade 4 steroid schedule (§7.2).</summary>
    public const string Grade4Jcm23Difference = "general.crs4.methylprednisolone.s-jcm23-differs";

    private const double TocilizumabMgPerKg = 8;
    private const double TocilizumabMaxMg = 800;

    // The < 30 kg paediatric row is ⚠️ "confirm in the Actemra label before enabling": it is not given as advice.
    private const double TocilizumabChildRowBelowKg = 30;

    private static readonly Advice SuspectedCrsAdvice = new(
        SuspectedCrs,
        Wording.Consider("identify CRS from the clinical picture; evaluate for and treat other causes of fever, hypoxia and "
            + "hypotension; withhold the bispecific until CRS resolves, as the drug's label says (CLINICAL-RULES.md §5)."),
        Wording.Cite("§4.1", "S-COL-MS; S-EPK-HCP; S-LUN-US"));

    private static readonly Advice Grade1Advice = new(
        Grade1Supportive,
        Wording.Consider("acetaminophen 650-1000 mg orally, repeatable at least 6-8 h later if clinically stable; oral "
            + "hydration; temperature every 1-2 h. If fever is refractory or recurs within 6-8 h, consider dexamethasone "
            + "10 mg once."),
        Wording.Cite("§4.1", "S-BSAB24 Table 3"));

    private static readonly Advice Grade2HypotensionAdvice = new(
        Grade2PersistingHypotension,
        Wording.Consider("if hypotension persists after 1-2 doses of anti-IL-6 therapy, dexamethasone 10 mg IV every 6 h "
            + "(or equivalent)."),
        Wording.Cite("§4.1", "S-LEE2014-c"));

    private static readonly Advice Grade3Advice = new(
        Grade3,
        Wording.Consider("tocilizumab as for grade 2 if the maximum has not been reached in 24 h, plus dexamethasone 10 mg "
            + "IV every 6 h, rapidly tapered once symptoms improve; ICU admission; echocardiogram."),
        Wording.Cite("§4.1", "S-ASTCT-h"));

    private static readonly Advice Grade4Advice = new(
        Grade4,
        Wording.Consider("as for grade 3, plus methylprednisolone 500 mg IV every 12 h for 3 days, then 250 mg every 12 h "
            + "for 2 days, 125 mg every 12 h for 2 days, then 60 mg every 12 h until CRS ≤ grade 1 (S-ASTCT-h, the default "
            + "schedule; S-JCM23 differs, see the next item)."),
        Wording.Cite("§4.1, §7.2", "S-ASTCT-h"));

    private static readonly Advice Grade4Jcm23Advice = new(
        Grade4Jcm23Difference,
        Wording.Consider("S-JCM23 gives a different grade 4 steroid schedule: methylprednisolone 1000 mg/day for 3 days, "
            + "then 250 mg twice a day for 2 days, … (the rest of its schedule is not in CLINICAL-RULES.md: see "
            + "S-JCM23 Table 1). Follow the guideline the site adopts; the default shown is S-ASTCT-h."),
        Wording.Cite("§7.2", "S-JCM23; default S-ASTCT-h"));

    /// <summary>
    /// The general advice for a change from <paramref name="previous"/> to <paramref name="next"/>: empty unless the grade
    /// rose. <paramref name="weightKg"/>, when known, adds the computed tocilizumab dose.
    /// </summary>
    public static IReadOnlyList<Advice> OnGradeChanged(CrsGrade previous, CrsGrade next, double? weightKg = null) =>
        next > previous ? ForGrade(next, weightKg) : [];

    /// <summary>
    /// The §4.1 rows for a CRS grade just reached. Grade 5 (death due to CRS) and 0 get none: there is nothing to
    /// advise.
    /// </summary>
    internal static IReadOnlyList<Advice> ForGrade(CrsGrade grade, double? weightKg)
    {
        if (grade is <= CrsGrade.None or >= CrsGrade.Grade5)
        {
            return [];
        }

        List<Advice> items = [SuspectedCrsAdvice];
        if (grade == CrsGrade.Grade1)
        {
            items.Add(Grade1Advice);
        }

        if (grade >= CrsGrade.Grade2)
        {
            items.Add(TocilizumabAdvice(weightKg));
        }

        if (grade == CrsGrade.Grade2)
        {
            items.Add(Grade2HypotensionAdvice);
        }

        if (grade >= CrsGrade.Grade3)
        {
            items.Add(Grade3Advice);
        }

        if (grade == CrsGrade.Grade4)
        {
            items.Add(Grade4Advice);
            items.Add(Grade4Jcm23Advice);
        }

        return items;
    }

    /// <summary>
    /// Tocilizumab 8 mg/kg, not to exceed 800 mg: with the dose min(8 × weight, 800) mg when the weight is known and at
    /// least 30 kg. Under 30 kg (or unknown weight) the clinician is sent to the label: the paediatric row is ⚠️ and not
    /// enabled.
    /// </summary>
    private static Advice TocilizumabAdvice(double? weightKg)
    {
        var text = "tocilizumab 8 mg/kg IV over 1 h, not to exceed 800 mg per dose. Repeat after 8 h if no improvement; "
            + "no more than 3 doses in 24 h, maximum 4 doses in total.";
        if (weightKg is { } weight and >= TocilizumabChildRowBelowKg)
        {
            var dose = TocilizumabMgPerKg * weight;
            text += dose > TocilizumabMaxMg
                ? $" For {Wording.Number(weight)} kg: {Wording.Number(TocilizumabMaxMg)} mg per dose (capped at 800 mg)."
                : $" For {Wording.Number(weight)} kg: {Wording.Number(dose)} mg per dose.";
        }
        else if (weightKg is { } child)
        {
            text += $" The patient weighs {Wording.Number(child)} kg: for children under 30 kg the dose is not encoded; "
                + "consult the tocilizumab (Actemra) label.";
        }
        else
        {
            text += " Weight unknown: for children under 30 kg, consult the tocilizumab (Actemra) label (not encoded).";
        }

        return new(Tocilizumab, Wording.Consider(text),
            Wording.Cite("§4.1", "S-LEE2014-c; S-MIAMI; children < 30 kg: S-TOCI ⚠️ not enabled"));
    }
}
