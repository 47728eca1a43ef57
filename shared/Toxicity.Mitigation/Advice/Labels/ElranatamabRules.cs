using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// Elranatamab (Elrexfio) label rules, CLINICAL-RULES.md §5.8: the CRS table's grade 1, 2 and first grade 3 (withhold)
/// rows (⚠️, ASTCT-2019 wording, scale footnote not read: ASTCT stands in, with a note); the rest of grade 3, recurrent
/// grade 3, grade 4, the ICANS and other neurotoxicity tables, tocilizumab and the masked-fever note are ❌.
/// </summary>
internal sealed class ElranatamabRules : LabelRules
{
    private const string Ids = "S-ELR-PFZ ⚠️ Pfizer adverse reaction guide, truncated";

    public override string Drug => "elranatamab";

    public override string Label => "elranatamab (Elrexfio)";

    public override string Section => "§5.8";

    public override Jurisdiction Jurisdiction => Jurisdiction.Us;

    public override LabelScale CrsScale => LabelScale.CrsScaleNotRead;

    public override string DelayConsult =>
        "the elranatamab (Elrexfio) label's restart table (US). After a last dose of 76 mg given exactly 12 weeks earlier the boundary "
        + "between restarting at step-up dose 2 and at step-up dose 1 is uncertain (S-ELR-DAV prints \"<\").";

    public override IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria)
    {
        if (scale == GradeScale.Icans)
        {
            return [NotEncodedItem($"icans{grade}.not-encoded",
                "the elranatamab (Elrexfio) label's ICANS table and its other neurotoxicity table (rows and scales not read).",
                "❌ not read")];
        }

        List<Advice> items = [LabelNotes.CrsScaleNotRead(this, Ids)];
        switch (grade)
        {
            case 1:
                items.Add(LabelItem("crs1.withhold",
                    "for CRS grade 1 (≥ 100.4 °F/38 °C): \"Withhold ELREXFIO until CRS resolves\"; give the pretreatment medications before "
                    + "the next dose.",
                    Ids));
                break;
            case 2:
                items.Add(LabelItem("crs2.withhold-monitor",
                    "for CRS grade 2: withhold until CRS resolves; \"Monitor patients daily for 48 hours following the next dose\" and "
                    + "consider hospitalisation; give the pretreatment medications before the next dose.",
                    Ids));
                break;
            case 3:
                items.Add(LabelItem("crs3.withhold", "for CRS grade 3 (first occurrence): \"Withhold ELREXFIO until CRS resolves\".", Ids));
                items.Add(NotEncodedItem("crs3.not-encoded",
                    "the elranatamab (Elrexfio) label's CRS table for the rest of the grade 3 first-occurrence row and the recurrent grade 3 "
                    + "row (not read).",
                    "❌ not read"));
                break;
            default:
                items.Add(NotEncodedItem($"crs{grade}.not-encoded", $"the elranatamab (Elrexfio) label's CRS table, grade {grade} row (not read).",
                    "❌ not read"));
                break;
        }

        items.Add(LabelNotes.MaskedFeverNotEncoded(this));
        if (grade >= 2)
        {
            items.Add(Tocilizumab.LabelWordingNotEncoded(this));
        }

        return items;
    }
}
