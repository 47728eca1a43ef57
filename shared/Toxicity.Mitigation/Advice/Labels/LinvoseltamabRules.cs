using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// Linvoseltamab (Lynozyfic) label rules, CLINICAL-RULES.md §5.10: the boxed warning's withhold rule (⚠️); the CRS,
/// ICANS, neurologic toxicity and infusion-related reaction tables (US Tables 3, 4 and 5) and their scales, the restart
/// table, tocilizumab and the masked-fever note are ❌.
/// </summary>
internal sealed class LinvoseltamabRules : LabelRules
{
    public override string Drug => "linvoseltamab";

    public override string Label => "linvoseltamab (Lynozyfic)";

    public override string Section => "§5.10";

    public override Jurisdiction Jurisdiction => Jurisdiction.Us;

    public override LabelScale CrsScale => LabelScale.CrsScaleNotRead;

    public override string DelayConsult => "the linvoseltamab (Lynozyfic) label's restart-after-delay table (not read).";

    public override IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria)
    {
        if (scale == GradeScale.Icans)
        {
            return [NotEncodedItem($"icans{grade}.not-encoded",
                $"the linvoseltamab (Lynozyfic) label's ICANS table (Table 4) and neurologic toxicity table (Table 5), grade {grade} "
                + "(rows and scales not read).",
                "S-LIN-DC ⚠️ table structure; ❌ rows not read")];
        }

        List<Advice> items =
        [
            LabelItem("crs.withhold",
                "boxed warning: \"withhold … until CRS resolves and modify the next dose or permanently discontinue\"; how, by grade, is "
                + "in the CRS table (Table 3), which was not read (next item).",
                "S-LIN-DC ⚠️; S-LIN-DCM ⚠️ boxed warning"),
            NotEncodedItem($"crs{grade}.not-encoded",
                $"the linvoseltamab (Lynozyfic) label's CRS table (Table 3), grade {grade} row (its rows and its scale were not read).",
                "❌ not read"),
            LabelNotes.MaskedFeverNotEncoded(this),
        ];
        if (grade >= 2)
        {
            items.Add(Tocilizumab.LabelWordingNotEncoded(this));
        }

        return items;
    }

    public override IEnumerable<Advice> OnInterrupted(PatientContext patient) =>
        [NotEncodedItem("interruption.not-encoded",
            "the linvoseltamab (Lynozyfic) label's infusion-related reaction and dose-modification tables for interrupting and resuming "
            + "the infusion (not read).")];
}
