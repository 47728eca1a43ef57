using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Labels;

/// <summary>
/// Glofitamab (Columvi) label rules, CLINICAL-RULES.md §5.2: the CRS grade 1 row; grades 2-4 and the delayed-dose table
/// were not read (❌), so they send the clinician to the label.
/// </summary>
internal sealed class GlofitamabRules : LabelRules
{
    private const string Crs1Text = "if the picture is consistent with CRS, withhold and manage. If symptoms resolve, "
        + "restart the infusion at a slower rate (may extend up to 8 h as appropriate for that cycle). Ensure CRS symptoms "
        + "have resolved for ≥ 72 h before the next dose; consider a slower rate next time. Premedication may mask fever.";

    public override string Drug => "glofitamab";

    public override string Label => "glofitamab (Columvi)";

    public override string Section => "§5.2";

    public override Jurisdiction Jurisdiction => Jurisdiction.Us;

    /// <summary>"Ensure CRS symptoms have resolved for ≥ 72 h before the next dose" (§5.2, S-COL-MS ✅).</summary>
    public override Advice? AfterResolvedCrs(DateTimeOffset resolvedAt, DateTimeOffset now) =>
        now - resolvedAt < TimeSpan.FromHours(72)
            ? LabelItem("next-dose.crs-resolved-under-72h", "ensure CRS symptoms have resolved for ≥ 72 h before the next dose: CRS "
                + $"resolved less than 72 h ago, so do not give it before {resolvedAt.AddHours(72):yyyy-MM-dd HH:mm} UTC.", "S-COL-MS")
            : null;

    public override string DelayConsult =>
        "the glofitamab (Columvi) label's restart/delay table: section 2 (US) / 4.2 Table 2 (EU), for whether obinutuzumab "
        + "pre-treatment and step-up must be repeated.";

    public override IEnumerable<Advice> OnGradeRise(PatientContext patient, GradeScale scale, int grade, IReadOnlyList<string> criteria)
    {
        if (scale == GradeScale.Icans)
        {
            return [NotEncodedItem("icans.not-encoded",
                "the glofitamab (Columvi) label for neurologic toxicity (ICANS): CLINICAL-RULES.md §5.2 has no ICANS rows.",
                "no ICANS rows read")];
        }

        var nextDose = LabelItem("crs.next-dose-hospitalisation",
            "for the next dose (Swiss label): if CRS of any grade occurred with step-up dose 1 (2.5 mg, C1D8), hospitalise "
            + "during step-up dose 2 (10 mg, C1D15) and for 24 h after; for later doses, if CRS grade ≥ 2 occurred with the "
            + "previous infusion, hospitalise during the next infusion and for 24 h after.",
            "S-COL-CH", jurisdiction: Jurisdiction.Ch);
        return grade == 1
            ? [LabelItem("crs1.withhold", $"for CRS grade 1: {Crs1Text}", "S-COL-MS"), nextDose]
            :
            [
                NotEncodedItem($"crs{grade}.not-encoded",
                    $"the glofitamab (Columvi) label's CRS dose-modification table, grade {grade} (this row was not read).",
                    "❌ not read; §7.1"),
                nextDose,
                Tocilizumab.LabelWordingNotEncoded(this),
            ];
    }

    public override IEnumerable<Advice> OnInterrupted(PatientContext patient) =>
        [
            LabelItem("interruption.crs1.withhold", $"for CRS grade 1: {Crs1Text}", "S-COL-MS"),
            NotEncodedItem("interruption.not-encoded",
                "the glofitamab (Columvi) label for an interruption for CRS grade 2-4 or another reason (not read)."),
        ];

    public override IEnumerable<Advice> OnRestarted(PatientContext patient, TimeSpan interruption) =>
        [
            LabelItem("restart.after-crs1.slower-rate",
                $"after an interruption for CRS grade 1 (here {Wording.Duration(interruption)}), once symptoms resolve: "
                + "restart the infusion at a slower rate (may extend up to 8 h as appropriate for that cycle). Ensure CRS "
                + "symptoms have resolved for ≥ 72 h before the next dose; consider a slower rate next time.",
                "S-COL-MS"),
            NotEncodedItem("restart.not-encoded",
                "the glofitamab (Columvi) label for restarting after an interruption for CRS grade 2-4 or another reason "
                + "(not read)."),
        ];
}
