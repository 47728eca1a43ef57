using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// Tebentafusp (Kimmtrak) label rules, CLINICAL-RULES.md §5.12. The US CRS table (Table 1) is written on the label's own
/// scale, Moderate / Severe / Life-threatening, "Based on ASTCT consensus grading of CRS criteria (Lee et al. 2019)":
/// its rows are given on ASTCT grades 2 / 3 / 4, an approximation each row says (clinician to confirm). It has no row for
/// fever only (ASTCT grade 1); the EU/UK SmPC grade 1-2 rows are given as EU. Table 1 has no ICANS row. Skin reactions
/// (CTCAE v4.03, not graded here) are given with the withhold rows.
/// </summary>
internal sealed class TebentafuspRules : LabelRules
{
    private const string Ids = "S-TEB-MPR ⚠️";
    private const double MethylprednisoloneMgPerKgPerDay = 2;
    private const double TocilizumabMgPerKg = 8;
    private const double TocilizumabMaxMg = 800;

    public override string Drug => "tebentafusp";

    public override string Label => "tebentafusp (Kimmtrak)";

    public override string Section => "§5.12";

    public override Jurisdiction Jurisdiction => Jurisdiction.Us;

    public override LabelScale CrsScale => LabelScale.LabelOwnCrs;

    public override string DelayConsult => "the tebentafusp (Kimmtrak) label for a delayed dose (its restart rows were not read).";

    public override IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria)
    {
        if (scale == GradeScale.Icans)
        {
            return [NotEncodedItem("icans.no-label-row",
                "the tebentafusp (Kimmtrak) label: its dose-modification table (Table 1) lists CRS and skin reactions only, with no ICANS "
                + "row.",
                "S-TEB-MED ⚠️ Table 1 headings")];
        }

        List<Advice> items =
        [
            LabelItem("crs.label-own-scale",
                "its CRS rows are written on the label's own scale, Moderate / Severe / Life-threatening, \"Based on ASTCT consensus grading "
                + "of CRS criteria (Lee et al. 2019)\". They are given here on the ASTCT grade as Moderate ≈ grade 2, Severe ≈ grade 3, "
                + "Life-threatening ≈ grade 4: an approximation, clinician to confirm the label grade.",
                "S-TEB-MPR ⚠️; S-TEB-HCP ⚠️"),
        ];
        switch (grade)
        {
            case 1:
                items.Add(LabelItem("crs1.no-us-row",
                    "the US label's CRS table has no row for fever only (≈ ASTCT grade 1): it gives no action for this grade (clinician to "
                    + "confirm the label grade).",
                    Ids));
                items.Add(LabelItem("crs1.eu",
                    "EU/UK SmPC only, non-US: for CRS grade 1, \"Treat symptoms as appropriate. Monitor for escalation\".",
                    "S-TEB-EU ⚠️ EU/UK SmPC restated", jurisdiction: Jurisdiction.Eu));
                break;
            case 2:
                items.Add(LabelItem("crs2.moderate",
                    "for Moderate CRS (≈ ASTCT grade 2: fever with fluid-responsive hypotension, or low-flow \"≤6L/min\" oxygen; clinician to "
                    + "confirm the label grade): \"If hypotension and hypoxia do not improve within 3 hours or CRS worsens, escalate care\"; "
                    + "if persistent (2-3 h) or recurrent, premedicate with a corticosteroid \"(eg, dexamethasone 4mg or equivalent) at "
                    + "least 30 minutes prior to next dose\".",
                    Ids));
                items.Add(LabelItem("crs2.eu",
                    "EU/UK SmPC only, non-US: CRS grade 2 not improving \"within 2 to 3 hours\": treat as grade 3.",
                    "S-TEB-EU ⚠️ EU/UK SmPC restated", jurisdiction: Jurisdiction.Eu));
                break;
            case 3:
                items.Add(LabelItem("crs3.severe",
                    "for Severe CRS (≈ ASTCT grade 3: a vasopressor with or without vasopressin; \">6L/min\" oxygen or a face mask; clinician "
                    + "to confirm the label grade): \"Withold [sic] Kimmtrak until CRS and sequelae resolved\"; \"2mg/kg/day "
                    + $"methylprednisolone or equivalent\"{Methylprednisolone(patient)}; resume at the same dose, \"do not escalate if "
                    + "severe CRS occurred during initial dose escalation\"; premedicate with dexamethasone 4 mg at least 30 minutes before "
                    + "the next dose.",
                    Ids));
                break;
            default:
                items.Add(LabelItem("crs4.life-threatening",
                    "for Life-threatening CRS (≈ ASTCT grade 4; the source joins pressors and positive pressure with \"and\" where ASTCT "
                    + "uses \"and/or\": clinician to confirm the label grade): \"Permanently discontinue Kimmtrak\"; IV methylprednisolone "
                    + $"2 mg/kg/day{Methylprednisolone(patient)}.",
                    Ids));
                break;
        }

        if (grade >= 2)
        {
            items.Add(LabelItem("crs.hypotension-unresolved.tocilizumab",
                "if hypotension is not resolved within 2-3 hours: methylprednisolone 2 mg/kg \"and/or tocilizumab 8 mg/kg IV (not to "
                + $"exceed 800 mg/infusion)\"{TocilizumabDose(patient)}.",
                "S-TEB-HCP ⚠️"));
        }

        return items;
    }

    public override IEnumerable<Advice> OnInterrupted(PatientContext patient) =>
        [
            LabelItem("withhold.skin-grade-2-3",
                "for skin reactions grade 2-3 (CTCAE v4.03, which this system does not grade: assess on that scale): \"Withhold Kimmtrak "
                + "until ≤Grade 1 or baseline. Resume at same dose level\".",
                "S-TEB-MPR ⚠️; S-TEB-MED ⚠️"),
            NotEncodedItem("withhold.skin-grade-4.not-encoded", "the tebentafusp (Kimmtrak) label's skin reaction grade 4 row (not read)."),
            LabelItem("no-dose-reduction", "\"No dosage reduction for KIMMTRAK is recommended\".", "S-TEB-HCP ⚠️"),
            NotEncodedItem("interruption.not-encoded",
                "the tebentafusp (Kimmtrak) label for interrupting and resuming an infusion for another reason (not read)."),
        ];

    private static string Methylprednisolone(PatientContext patient) => patient.WeightKg is { } kg
        ? $" (for {Wording.Number(kg)} kg: {Wording.Number(MethylprednisoloneMgPerKgPerDay * kg)} mg/day, unrounded)"
        : " (weight unknown: dose not computed)";

    private static string TocilizumabDose(PatientContext patient) => patient.WeightKg is { } kg
        ? $" (for {Wording.Number(kg)} kg: tocilizumab {Wording.Number(Math.Min(TocilizumabMgPerKg * kg, TocilizumabMaxMg))} mg"
            + (TocilizumabMgPerKg * kg > TocilizumabMaxMg ? $", capped at {Wording.Number(TocilizumabMaxMg)} mg)" : ")")
        : " (weight unknown: tocilizumab dose not computed)";
}
