using Toxicity.Grading.Timeline;
using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>Glofitamab, mosunetuzumab, epcoritamab and odronextamab label rules (CLINICAL-RULES.md §5.2-§5.5), and regimens without label advice.</summary>
public sealed class OtherLabelAdviceTests
{
    private static IReadOnlyList<Advice> Rise(string drug, GradeScale scale, int previous, int next, params string[] criteria)
    {
        var advice = MitigationAdvisor.OnGradeChanged(Patients.On(drug, 70), scale, previous, next, criteria);
        Patients.AssertWellFormed(advice);
        return advice;
    }

    private static string[] Codes(IReadOnlyList<Advice> advice, string prefix) =>
        [.. advice.Select(a => a.Code).Where(c => c.StartsWith(prefix, StringComparison.Ordinal))];

    [Fact]
    public void Glofitamab_crs_1_withholds_restarts_slower_up_to_8_h_and_waits_72_h_before_the_next_dose()
    {
        var advice = Rise("glofitamab", GradeScale.Crs, 0, 1);

        Assert.Equal("glofitamab.crs1.withhold", advice[0].Code);
        Assert.StartsWith("Per the glofitamab (Columvi) label (clinician to confirm): for CRS grade 1: if the picture is consistent with CRS, "
            + "withhold and manage", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("restart the infusion at a slower rate (may extend up to 8 h", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("resolved for ≥ 72 h before the next dose", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("Premedication may mask fever", advice[0].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.2 (S-COL-MS)", advice[0].Source);
        Assert.Equal("glofitamab.crs.next-dose-hospitalisation", advice[1].Code);
        Assert.Equal(["general.crs.suspected", "general.crs1.supportive"], advice.Skip(2).Select(a => a.Code));
    }

    [Fact]
    public void Glofitamab_crs_gives_the_swiss_next_dose_hospitalisation_rules()
    {
        var item = Assert.Single(Rise("glofitamab", GradeScale.Crs, 0, 2), a => a.Code == "glofitamab.crs.next-dose-hospitalisation");

        Assert.Contains("if CRS of any grade occurred with step-up dose 1 (2.5 mg, C1D8), hospitalise during step-up dose 2 (10 mg, C1D15) "
            + "and for 24 h after", item.Text, StringComparison.Ordinal);
        Assert.Contains("if CRS grade ≥ 2 occurred with the previous infusion, hospitalise during the next infusion and for 24 h after",
            item.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.2 (S-COL-CH)", item.Source);
    }

    [Fact]
    public void Mosunetuzumab_crs_2_or_more_gives_the_swiss_72_h_inpatient_monitoring_as_non_us()
    {
        var item = Assert.Single(Rise("mosunetuzumab", GradeScale.Crs, 1, 2), a => a.Code == "mosunetuzumab.crs.ch-inpatient-monitoring");

        Assert.Contains("Swiss label only, non-US: after CRS grade ≥ 2, at least 72 h of inpatient monitoring at the next dose", item.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.3 (S-LUN-CH ⚠️ non-US; S-LUN-US)", item.Source);
        Assert.DoesNotContain(Rise("mosunetuzumab", GradeScale.Crs, 0, 1), a => a.Code == "mosunetuzumab.crs.ch-inpatient-monitoring");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Glofitamab_crs_2_to_4_are_not_encoded_and_send_to_the_label(int grade)
    {
        var advice = Rise("glofitamab", GradeScale.Crs, 1, grade);

        Assert.Equal([$"glofitamab.crs{grade}.not-encoded", "glofitamab.crs.next-dose-hospitalisation", "glofitamab.crs.tocilizumab.not-encoded"],
            Codes(advice, "glofitamab."));
        Assert.StartsWith($"Not encoded: consult the glofitamab (Columvi) label's CRS dose-modification table, grade {grade}", advice[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("CLINICAL-RULES.md §5.2", advice[0].Source, StringComparison.Ordinal);
        Assert.StartsWith("Not encoded: consult the glofitamab (Columvi) label for its own tocilizumab wording", advice[2].Text, StringComparison.Ordinal);
        Assert.Equal("general.crs.suspected", advice[3].Code);
    }

    [Fact]
    public void Glofitamab_icans_has_no_rows_in_the_file_and_sends_to_the_label() =>
        Assert.Equal(["glofitamab.icans.not-encoded"], Codes(Rise("glofitamab", GradeScale.Icans, 0, 2), "glofitamab."));

    [Fact]
    public void Glofitamab_interruption_and_restart_give_the_crs_1_rows_and_send_to_the_label_for_the_rest()
    {
        var interrupted = MitigationAdvisor.OnInfusionInterrupted(Patients.On("glofitamab", 70));
        var restarted = MitigationAdvisor.OnInfusionRestarted(Patients.On("glofitamab", 70), TimeSpan.FromHours(1));

        Patients.AssertWellFormed(interrupted);
        Patients.AssertWellFormed(restarted);
        Assert.Equal(["glofitamab.interruption.crs1.withhold", "glofitamab.interruption.not-encoded"], interrupted.Select(a => a.Code));
        Assert.Equal(["glofitamab.restart.after-crs1.slower-rate", "glofitamab.restart.not-encoded"], restarted.Select(a => a.Code));
        Assert.Contains("restart the infusion at a slower rate (may extend up to 8 h as appropriate for that cycle)", restarted[0].Text, StringComparison.Ordinal);
        Assert.Contains("resolved for ≥ 72 h before the next dose", restarted[0].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.2 (S-COL-MS)", restarted[0].Source);
        Assert.StartsWith("Not encoded: consult the glofitamab (Columvi) label", restarted[1].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "grade 1 row (row")]
    [InlineData(2, "grade 2 row (and the recurrent grade 2 row)")]
    [InlineData(3, "grade 3 row (and the recurrent grade 3 row)")]
    [InlineData(4, "grade 4 row (row")]
    public void Mosunetuzumab_crs_withholds_until_resolved_and_sends_each_grade_row_to_the_label(int grade, string row)
    {
        var advice = Rise("mosunetuzumab", GradeScale.Crs, 0, grade);

        Assert.Equal("mosunetuzumab.crs.withhold", advice[0].Code);
        Assert.Contains("if CRS is suspected, withhold mosunetuzumab until it resolves", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("graded with ASTCT 2019", advice[0].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.3 (S-LUN-US; S-LUN-HCP)", advice[0].Source);
        Assert.Equal($"mosunetuzumab.crs{grade}.not-encoded", advice[1].Code);
        Assert.StartsWith("Not encoded: consult the mosunetuzumab (Lunsumio) label's CRS table", advice[1].Text, StringComparison.Ordinal);
        Assert.Contains(row, advice[1].Text, StringComparison.Ordinal);
        Assert.Contains("< 6 L/min", advice[1].Text, StringComparison.Ordinal);
        Assert.Contains("❌", advice[1].Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Mosunetuzumab_icans_2_to_4_are_not_encoded(int grade)
    {
        var advice = Rise("mosunetuzumab", GradeScale.Icans, 0, grade);

        Assert.Equal([$"mosunetuzumab.icans{grade}.not-encoded"], Codes(advice, "mosunetuzumab."));
        Assert.Contains($"ICANS grade {grade} row", advice[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Mosunetuzumab_icans_1_has_no_label_row() =>
        Assert.Empty(Codes(Rise("mosunetuzumab", GradeScale.Icans, 0, 1), "mosunetuzumab."));

    [Fact]
    public void Mosunetuzumab_interruption_gives_its_withhold_rows()
    {
        var advice = MitigationAdvisor.OnInfusionInterrupted(Patients.On("mosunetuzumab"));

        Patients.AssertWellFormed(advice);
        Assert.Equal(["mosunetuzumab.interruption.crs.withhold", "mosunetuzumab.interruption.other-adverse-reactions.withhold",
            "mosunetuzumab.interruption.not-encoded"], advice.Select(a => a.Code));
        Assert.Contains("other adverse reactions grade ≥ 3: withhold until resolved to grade 1 or baseline", advice[1].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.3 (S-LUN-US)", advice[1].Source);
    }

    [Fact]
    public void Epcoritamab_crs_1_and_2_rows()
    {
        var grade1 = Rise("epcoritamab", GradeScale.Crs, 0, 1);
        var grade2 = Rise("epcoritamab", GradeScale.Crs, 1, 2);

        Assert.Equal(["epcoritamab.crs.withhold", "epcoritamab.crs1.withhold"], Codes(grade1, "epcoritamab."));
        Assert.Contains("withhold epcoritamab until CRS resolves", grade1[0].Text, StringComparison.Ordinal);
        Assert.Contains("for CRS grade 1: withhold; manage per current practice guidelines; ensure CRS symptoms are resolved before the next dose",
            grade1[1].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.4 (S-EPK-HCP; drugs.com dosage monograph)", grade1[1].Source);
        Assert.Equal(["epcoritamab.crs.withhold", "epcoritamab.crs2.withhold", "epcoritamab.crs.premedicate-beyond-cycle-1",
            "epcoritamab.crs.tocilizumab.not-encoded"], Codes(grade2, "epcoritamab."));
        Assert.Contains("give premedication before the next dose; for the next dose, monitor more frequently and consider hospitalisation",
            grade2[1].Text, StringComparison.Ordinal);
        Assert.Contains("premedicate in Cycle 2 and beyond until a dose is tolerated without grade ≥ 2 CRS", grade2[2].Text, StringComparison.Ordinal);
        Assert.Contains("⚠️", grade2[2].Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Epcoritamab_crs_3_sends_us_patients_to_pi_section_2_6_and_gives_the_eu_tepkinly_rule_as_eu()
    {
        var advice = Rise("epcoritamab", GradeScale.Crs, 2, 3);

        Assert.Equal(["epcoritamab.crs.withhold", "epcoritamab.crs3.not-encoded.us", "epcoritamab.crs3.eu-tepkinly",
            "epcoritamab.crs.premedicate-beyond-cycle-1", "epcoritamab.crs.tocilizumab.not-encoded"], Codes(advice, "epcoritamab."));
        Assert.StartsWith("Not encoded: consult the EPKINLY (US) prescribing information, section 2.6, for CRS grade 3", advice[1].Text, StringComparison.Ordinal);
        var eu = advice[2];
        Assert.Contains("EU (Tepkinly) label only, non-US", eu.Text, StringComparison.Ordinal);
        Assert.Contains("discontinue if grade 3 CRS lasts more than 72 h, or after more than 2 separate grade 3 events", eu.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.4, §7.2 (S-EPK-EU ⚠️ non-US)", eu.Source);
    }

    [Fact]
    public void Epcoritamab_crs_4_eu_rule_discontinues_permanently()
    {
        var advice = Rise("epcoritamab", GradeScale.Crs, 3, 4);

        Assert.Equal(["epcoritamab.crs.withhold", "epcoritamab.crs4.not-encoded.us", "epcoritamab.crs4.eu-tepkinly",
            "epcoritamab.crs.tocilizumab.not-encoded"], Codes(advice, "epcoritamab."));
        Assert.Contains("for CRS grade 4, discontinue permanently", advice[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Epcoritamab_icans_withholds_at_the_first_sign_with_a_neurology_evaluation_and_sends_the_grade_row_to_the_label()
    {
        var advice = Rise("epcoritamab", GradeScale.Icans, 0, 2);

        Assert.Equal(["epcoritamab.icans.withhold", "epcoritamab.icans2.not-encoded"], Codes(advice, "epcoritamab."));
        Assert.Contains("at the first sign of ICANS, withhold epcoritamab and consider a neurology evaluation", advice[0].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.4 (S-EPK-HCP)", advice[0].Source);
        Assert.StartsWith("Not encoded: consult the epcoritamab", advice[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Epcoritamab_interruption_gives_the_withhold_rows_for_crs_icans_and_other_adverse_reactions()
    {
        var advice = MitigationAdvisor.OnInfusionInterrupted(Patients.On("epcoritamab"));

        Patients.AssertWellFormed(advice);
        Assert.Equal(["epcoritamab.withhold.crs", "epcoritamab.withhold.icans", "epcoritamab.withhold.infection",
            "epcoritamab.withhold.neutropenia", "epcoritamab.withhold.thrombocytopenia", "epcoritamab.withhold.other-adverse-reactions"],
            advice.Select(a => a.Code));
        Assert.Contains("ANC < 0.5 × 10⁹/L: withhold until ANC ≥ 0.5 × 10⁹/L", advice[3].Text, StringComparison.Ordinal);
        Assert.Contains("platelets < 50 × 10⁹/L: withhold until ≥ 50 × 10⁹/L", advice[4].Text, StringComparison.Ordinal);
        Assert.All(advice, a => Assert.Equal("CLINICAL-RULES.md §5.4 (S-EPK-HCP)", a.Source));
    }

    [Fact]
    public void Odronextamab_crs_evaluates_for_hospitalisation_and_its_dose_modification_is_not_encoded()
    {
        var crs = Rise("odronextamab", GradeScale.Crs, 0, 2);
        var icans = Rise("odronextamab", GradeScale.Icans, 0, 2);

        Assert.Equal(["odronextamab.crs.evaluate-hospitalisation", "odronextamab.dose-modification.not-encoded"], Codes(crs, "odronextamab."));
        Assert.Contains("at the first sign of CRS, evaluate at once for hospitalisation", crs[0].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.5 (S-ODR-EU §4.4)", crs[0].Source);
        Assert.StartsWith("Not encoded: consult the odronextamab (Ordspono) SmPC", crs[1].Text, StringComparison.Ordinal);
        Assert.Equal(["odronextamab.dose-modification.not-encoded"], Codes(icans, "odronextamab."));
    }

    [Theory]
    [InlineData("mosunetuzumab")]
    [InlineData("epcoritamab")]
    [InlineData("odronextamab")]
    [InlineData("teclistamab")]
    public void A_restart_of_a_drug_without_restart_rows_sends_to_the_label(string drug)
    {
        var advice = MitigationAdvisor.OnInfusionRestarted(Patients.On(drug), TimeSpan.FromHours(5));

        Patients.AssertWellFormed(advice);
        var item = Assert.Single(advice);
        Assert.Equal($"{drug}.restart.not-encoded", item.Code);
        Assert.StartsWith($"Not encoded: consult the {drug}", item.Text, StringComparison.Ordinal);
        Assert.Contains("here 5 h", item.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_drug_without_rules_in_the_file_sends_to_its_label_before_the_general_rows()
    {
        // Cevostamab: a bispecific CLINICAL-RULES.md has no rules for (teclistamab, used here before, now has §5.7 rules).
        var advice = Rise("cevostamab", GradeScale.Crs, 0, 1);

        Assert.Equal(["label.not-encoded", "general.crs.suspected", "general.crs1.supportive"], advice.Select(a => a.Code));
        Assert.StartsWith("Not encoded: consult the cevostamab label", advice[0].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GradeScale.Crs, 3)]
    [InlineData(GradeScale.Icans, 4)]
    public void An_investigational_regimen_gets_the_general_rows_only(GradeScale scale, int next)
    {
        var investigational = Patients.On("blinatumomab", 70, status: RegimenStatus.Investigational);

        var advice = MitigationAdvisor.OnGradeChanged(investigational, scale, 0, next, ["icans.seizure.rapidlyResolving"]);

        Patients.AssertWellFormed(advice);
        Assert.NotEmpty(advice);
        Assert.All(advice, a => Assert.StartsWith("general.", a.Code, StringComparison.Ordinal));
        Assert.Equal(MitigationAdvisor.OnGradeChanged(Patients.WithoutRegimen(70), scale, 0, next, ["icans.seizure.rapidlyResolving"]), advice);
    }

    [Fact]
    public void An_investigational_regimen_or_none_gets_a_consult_item_for_interruptions_and_restarts()
    {
        var investigational = Patients.On("blinatumomab", 70, status: RegimenStatus.Investigational);

        var items = new[]
        {
            MitigationAdvisor.OnInfusionInterrupted(investigational),
            MitigationAdvisor.OnInfusionRestarted(investigational, TimeSpan.FromHours(5)),
            MitigationAdvisor.OnInfusionInterrupted(Patients.WithoutRegimen()),
            MitigationAdvisor.OnInfusionRestarted(Patients.WithoutRegimen(), TimeSpan.FromHours(5)),
        };

        Assert.All(items, Patients.AssertWellFormed);
        Assert.Equal([MitigationAdvisor.InvestigationalCode, MitigationAdvisor.InvestigationalCode, MitigationAdvisor.NoRegimenCode,
            MitigationAdvisor.NoRegimenCode], items.Select(i => Assert.Single(i).Code));
    }
}
