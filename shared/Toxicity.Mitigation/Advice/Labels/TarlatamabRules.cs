using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// Tarlatamab (Imdelltra, US) label rules, CLINICAL-RULES.md §5.11: CRS grade 1 and 2 rows (⚠️, grade descriptors as
/// printed, the scale footnote † not read: ASTCT stands in, with a note); grade 3, recurrent grade 3 and grade 4
/// (§2.5 Table 5), ICANS / neurological toxicity (Table 6), the restart table (Table 4), tocilizumab and the
/// masked-fever note are ❌.
/// </summary>
internal sealed class TarlatamabRules : LabelRules
{
    private const string Ids = "S-TAR-HCP ⚠️";
    private const string WithholdResume = "withhold \"until event resolves, then resume … at the next scheduled dose\"";

    public override string Drug => "tarlatamab";

    public override string Label => "tarlatamab (Imdelltra)";

    public override string Section => "§5.11";

    public override Jurisdiction Jurisdiction => Jurisdiction.Us;

    public override LabelScale CrsScale => LabelScale.CrsScaleNotRead;

    public override string DelayConsult => "the tarlatamab (Imdelltra) label's restart-after-delay table (Table 4; not read).";

    public override IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria)
    {
        if (scale == GradeScale.Icans)
        {
            return [NotEncodedItem($"icans{grade}.not-encoded",
                "the tarlatamab (Imdelltra) label's ICANS / neurological toxicity table (Table 6) (not read).", "❌ not read")];
        }

        List<Advice> items = [LabelNotes.CrsScaleNotRead(this, "S-TAR-HCP ⚠️ grade descriptors as printed; scale footnote † not read")];
        switch (grade)
        {
            case 1:
                items.Add(LabelItem("crs1.withhold",
                    $"for CRS grade 1 (\"Symptoms require symptomatic treatment only\"): {WithholdResume}; acetaminophen; \"Consider "
                    + "dexamethasone 4 to 10 mg PO or IV\".",
                    Ids));
                break;
            case 2:
                items.Add(LabelItem("crs2.withhold-hospitalise",
                    $"for CRS grade 2: {WithholdResume}; \"Recommend hospitalization for a minimum of 24 hours with cardiac telemetry and "
                    + "pulse oximetry\"; \"Consider dexamethasone (or equivalent) 8 mg PO or IV\"; \"Consider tocilizumab\"; at the next "
                    + "dose, monitor for \"22 to 24 hours\".",
                    Ids));
                break;
            default:
                items.Add(NotEncodedItem($"crs{grade}.not-encoded",
                    $"the tarlatamab (Imdelltra) label §2.5, Table 5, CRS grade {grade} row"
                    + (grade == 3 ? " (first occurrence and recurrent)" : string.Empty) + " (not read).",
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
