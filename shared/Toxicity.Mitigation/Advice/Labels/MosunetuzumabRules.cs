using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// Mosunetuzumab (Lunsumio) label rules, CLINICAL-RULES.md §5.3: withhold suspected CRS until it resolves; the CRS
/// (grades 1, 2, recurrent 2, 3, recurrent 3, 4) and ICANS (2-4) rows were not read (❌). The label's CRS table grades
/// with ASTCT 2019, as the engine does, so no conversion is needed.
/// </summary>
internal sealed class MosunetuzumabRules : LabelRules
{
    /// <summary>The §5.3 note that goes with a restart that repeats the step-up.</summary>
    public const string PremedicateRepeatedStepUpCode = "mosunetuzumab.delay.premedicate-repeated-step-up";

    private const string WithholdText = "if CRS is suspected, withhold mosunetuzumab until it resolves. Premedication may "
        + "mask fever: if the picture is consistent with CRS, follow the label's CRS table (graded with ASTCT 2019, as "
        + "this grade is).";

    private const string OtherAdverseReactions = "for other adverse reactions grade ≥ 3: withhold until resolved to grade 1 "
        + "or baseline.";

    public override string Drug => "mosunetuzumab";

    public override string Label => "mosunetuzumab (Lunsumio)";

    public override string Section => "§5.3";

    public override Jurisdiction Jurisdiction => Jurisdiction.Us;

    public override IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria)
    {
        if (scale == GradeScale.Icans)
        {
            return grade >= 2
                ? [NotEncodedItem($"icans{grade}.not-encoded",
                    $"the mosunetuzumab (Lunsumio) label's CRS/ICANS table, ICANS grade {grade} row (row contents not read).",
                    "S-LUN-US headings; ❌ row contents not read; §7.1")]
                : [];
        }

        var recurrent = grade is 2 or 3 ? $" (and the recurrent grade {grade} row)" : string.Empty;
        List<Advice> items =
        [
            LabelItem("crs.withhold", WithholdText, "S-LUN-US; S-LUN-HCP"),
            NotEncodedItem($"crs{grade}.not-encoded",
                $"the mosunetuzumab (Lunsumio) label's CRS table, grade {grade} row{recurrent} (row contents not read). Its "
                + "footnote defines low-flow oxygen as < 6 L/min and high-flow as ≥ 6 L/min, which differs from ASTCT 2019 "
                + "at exactly 6 L/min.",
                "S-LUN-US headings; S-LUN-HCP footnote; ❌ row contents not read; §7.1, §7.2"),
        ];
        if (grade >= 2)
        {
            items.Add(LabelItem("crs.ch-inpatient-monitoring",
                "Swiss label only, non-US: after CRS grade ≥ 2, at least 72 h of inpatient monitoring at the next dose. The "
                + "US label has no mandatory hospitalisation.",
                "S-LUN-CH ⚠️ non-US; S-LUN-US", jurisdiction: Jurisdiction.Ch));
            items.Add(Tocilizumab.LabelWordingNotEncoded(this));
        }

        return items;
    }

    public override IEnumerable<Advice> OnInterrupted(PatientContext patient) =>
        [
            LabelItem("interruption.crs.withhold", WithholdText, "S-LUN-US; S-LUN-HCP"),
            LabelItem("interruption.other-adverse-reactions.withhold", OtherAdverseReactions, "S-LUN-US"),
            NotEncodedItem("interruption.not-encoded",
                "the mosunetuzumab (Lunsumio) label's CRS/ICANS table for the action by grade (row contents not read)."),
        ];

    /// <summary>The §5.3 note: premedicate all patients on Day 1, 8 and 15 of the next cycle when the step-up is repeated.</summary>
    public Advice PremedicateRepeatedStepUp() =>
        new(PremedicateRepeatedStepUpCode,
            Wording.PerLabel(Label, "the step-up is repeated: premedicate all patients on Day 1, 8 and 15 of the next cycle."),
            Wording.Cite(Section, "S-LUN-US"), Jurisdiction.Us);
}
