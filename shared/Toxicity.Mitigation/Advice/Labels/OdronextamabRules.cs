using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// Odronextamab (Ordspono, EU) label rules, CLINICAL-RULES.md §5.5: at the first sign of CRS, evaluate for
/// hospitalisation (§4.4 of the SmPC); dose modification and restart were not read (❌).
/// </summary>
internal sealed class OdronextamabRules : LabelRules
{
    private const string DoseModificationConsult =
        "the odronextamab (Ordspono) SmPC, section 4.2, for dose modification (not read).";

    public override string Drug => "odronextamab";

    public override string Label => "odronextamab (Ordspono)";

    public override string Section => "§5.5";

    public override Jurisdiction Jurisdiction => Jurisdiction.Eu;

    public override IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria)
    {
        if (scale == GradeScale.Crs)
        {
            yield return LabelItem("crs.evaluate-hospitalisation",
                "at the first sign of CRS, evaluate at once for hospitalisation.",
                "S-ODR-EU §4.4");
        }

        yield return NotEncodedItem("dose-modification.not-encoded", DoseModificationConsult, "❌ not read; §7.1");
    }

    public override IEnumerable<Advice> OnInterrupted(PatientContext patient) =>
        [NotEncodedItem("interruption.not-encoded", DoseModificationConsult, "❌ not read; §7.1")];
}
