using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// Talquetamab (Talvey) label rules, CLINICAL-RULES.md §5.9: after CRS, premedicate before the next dose (⚠️, PI §5.1);
/// the CRS table (scale unknown), the ICANS and non-ICANS neurotoxicity tables, tocilizumab and the masked-fever note
/// are ❌.
/// </summary>
internal sealed class TalquetamabRules : LabelRules
{
    public override string Drug => "talquetamab";

    public override string Label => "talquetamab (Talvey)";

    public override string Section => "§5.9";

    public override Jurisdiction Jurisdiction => Jurisdiction.Us;

    public override LabelScale CrsScale => LabelScale.CrsScaleNotRead;

    public override string DelayConsult =>
        "the talquetamab (Talvey) label's restart table (weekly and biweekly schedules: only the row keys were read).";

    public override IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria)
    {
        if (scale == GradeScale.Icans)
        {
            return [NotEncodedItem($"icans{grade}.not-encoded",
                "the talquetamab (Talvey) label's ICANS table and its table of neurologic toxicity excluding ICANS (not read).",
                "❌ not read")];
        }

        List<Advice> items =
        [
            NotEncodedItem($"crs{grade}.not-encoded",
                $"the talquetamab (Talvey) label's CRS table, grade {grade} row (its rows and its scale were not read).", "❌ not read"),
            LabelItem("crs.premedicate-next-dose",
                "after CRS, \"pre-treatment medications should be administered prior to the next TALVEY dose\".",
                "S-TAL-BB ⚠️ PI §5.1"),
            LabelNotes.MaskedFeverNotEncoded(this),
        ];
        if (grade >= 2)
        {
            items.Add(Tocilizumab.LabelWordingNotEncoded(this));
        }

        return items;
    }
}
