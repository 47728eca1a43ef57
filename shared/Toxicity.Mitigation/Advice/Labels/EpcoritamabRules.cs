using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// Epcoritamab (Epkinly US / Tepkinly EU) label rules, CLINICAL-RULES.md §5.4: CRS grade 1-2 rows; grade 3-4 US rows
/// not read (❌, "see EPKINLY PI section 2.6") beside the EU (Tepkinly) rule (⚠️ non-US, worded as EU); withhold at the
/// first sign of ICANS; ICANS grade rows not read (❌); withholding for other adverse reactions.
/// </summary>
internal sealed class EpcoritamabRules : LabelRules
{
    private const string CrsWithholdText = "if CRS is suspected, withhold epcoritamab until CRS resolves. Premedication may "
        + "mask fever: if the clinical picture is consistent with CRS, follow the label's CRS table (graded with ASTCT, as "
        + "this grade is).";

    private const string IcansWithholdText = "at the first sign of ICANS, withhold epcoritamab and consider a neurology "
        + "evaluation.";

    public override string Drug => "epcoritamab";

    public override string Label => "epcoritamab (Epkinly/Tepkinly)";

    public override string Section => "§5.4";

    public override Jurisdiction Jurisdiction => Jurisdiction.Us;

    public override IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria)
    {
        if (scale == GradeScale.Icans)
        {
            return
            [
                LabelItem("icans.withhold", IcansWithholdText, "S-EPK-HCP"),
                NotEncodedItem($"icans{grade}.not-encoded",
                    $"the epcoritamab (Epkinly/Tepkinly) label, ICANS grade {grade} row (ICANS rows not read).",
                    "❌ not read; §7.1"),
            ];
        }

        List<Advice> items = [LabelItem("crs.withhold", CrsWithholdText, "S-EPK-HCP; Medscape monograph of the US PI")];
        switch (grade)
        {
            case 1:
                items.Add(LabelItem("crs1.withhold",
                    "for CRS grade 1: withhold; manage per current practice guidelines; ensure CRS symptoms are resolved "
                    + "before the next dose.",
                    "S-EPK-HCP; drugs.com dosage monograph"));
                break;
            case 2:
                items.Add(LabelItem("crs2.withhold",
                    "for CRS grade 2: withhold; manage per current practice guidelines; ensure CRS symptoms are resolved "
                    + "before the next dose; give premedication before the next dose; for the next dose, monitor more "
                    + "frequently and consider hospitalisation.",
                    "S-EPK-HCP; Medscape monograph of the US PI"));
                break;
            default:
                items.Add(NotEncodedItem($"crs{grade}.not-encoded.us",
                    $"the EPKINLY (US) prescribing information, section 2.6, for CRS grade {grade}"
                    + (grade == 3 ? " (first occurrence and recurrent)" : string.Empty)
                    + ". Only the start of the US rows was read: withhold and manage per current practice, which may "
                    + "include intensive care.",
                    "S-EPK-HCP truncated; ❌ rest not read; §7.1, §7.2", Jurisdiction.Us));
                items.Add(LabelItem($"crs{grade}.eu-tepkinly",
                    "EU (Tepkinly) label only, non-US: "
                    + (grade == 3
                        ? "discontinue if grade 3 CRS lasts more than 72 h, or after more than 2 separate grade 3 events "
                            + "(even if each fell to grade 2 within 72 h)."
                        : "for CRS grade 4, discontinue permanently.")
                    + " Applies only where the EU label is followed.",
                    "S-EPK-EU ⚠️ non-US",
                    "§7.2", Jurisdiction.Eu));
                break;
        }

        if (grade is 2 or 3)
        {
            items.Add(LabelItem("crs.premedicate-beyond-cycle-1",
                "after grade 2 or 3 CRS with the previous dose, premedicate in Cycle 2 and beyond until a dose is tolerated "
                + "without grade ≥ 2 CRS.",
                "⚠️ read only in a drug-information database's summary of the US PI"));
        }

        if (grade >= 2)
        {
            items.Add(Tocilizumab.LabelWordingNotEncoded(this));
        }

        return items;
    }

    public override IEnumerable<Advice> OnInterrupted(PatientContext patient) =>
        [
            LabelItem("withhold.crs", CrsWithholdText, "S-EPK-HCP"),
            LabelItem("withhold.icans", IcansWithholdText, "S-EPK-HCP"),
            LabelItem("withhold.infection",
                "for infection grades 1-4: withhold in active infection until it resolves; for grade 4 consider permanent "
                + "discontinuation.",
                "S-EPK-HCP"),
            LabelItem("withhold.neutropenia", "for ANC < 0.5 × 10⁹/L: withhold until ANC ≥ 0.5 × 10⁹/L.", "S-EPK-HCP"),
            LabelItem("withhold.thrombocytopenia", "for platelets < 50 × 10⁹/L: withhold until ≥ 50 × 10⁹/L.", "S-EPK-HCP"),
            LabelItem("withhold.other-adverse-reactions",
                "for other adverse reactions grade ≥ 3: withhold until resolved to grade 1 or baseline.",
                "S-EPK-HCP"),
        ];
}
