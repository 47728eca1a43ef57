using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>Delayed doses matched against the regimen's delay rules (built here, not taken from the catalogue).</summary>
public sealed class DelayAdviceTests
{
    private static readonly DelayRule OneToTwoWeeks = new("1 mg (C1D1)", TimeSpan.FromDays(7), TimeSpan.FromDays(14), "1-2 weeks",
        "Give 2 mg (C1D8), then resume the planned schedule", false, "S-LUN-MS ⚠️");

    private static readonly DelayRule MoreThanTwoWeeks = new("1 mg (C1D1)", TimeSpan.FromDays(14), null, "> 2 weeks",
        "Repeat 1 mg (C1D1), then 2 mg (C1D8), then resume", true, "S-LUN-MS ⚠️");

    private static PatientContext On(string drug, params DelayRule[] rules) =>
        new(Patients.Regimen(drug, delays: rules), 70, 1.8, 50);

    private static IReadOnlyList<Advice> Delayed(PatientContext patient, string label, TimeSpan since)
    {
        var advice = MitigationAdvisor.OnDoseDelayed(patient, label, since);
        Patients.AssertWellFormed(advice);
        return advice;
    }

    [Fact]
    public void A_delay_inside_a_window_gives_the_rules_action_and_source()
    {
        var advice = Delayed(On("mosunetuzumab", OneToTwoWeeks, MoreThanTwoWeeks), "1 mg (C1D1)", TimeSpan.FromDays(10));

        var item = Assert.Single(advice);
        Assert.Equal("mosunetuzumab.delay.resume", item.Code);
        Assert.Equal("Per the mosunetuzumab (Lunsumio) label (clinician to confirm): last dose 1 mg (C1D1), 1-2 weeks since it (here 10 days): "
            + "Give 2 mg (C1D8), then resume the planned schedule", item.Text);
        Assert.Equal("CLINICAL-RULES.md §5.3 (S-LUN-MS ⚠️)", item.Source);
    }

    [Fact]
    public void More_than_is_an_exclusive_lower_bound_and_at_most_an_inclusive_upper_bound()
    {
        var patient = On("mosunetuzumab", OneToTwoWeeks, MoreThanTwoWeeks);

        Assert.Equal("mosunetuzumab.delay.resume", Assert.Single(Delayed(patient, "1 mg (C1D1)", TimeSpan.FromDays(14))).Code);
        Assert.Equal("mosunetuzumab.delay.not-encoded", Assert.Single(Delayed(patient, "1 mg (C1D1)", TimeSpan.FromDays(7))).Code);
        Assert.Equal("mosunetuzumab.delay.repeat-step-up", Delayed(patient, "1 mg (C1D1)", TimeSpan.FromDays(14).Add(TimeSpan.FromMinutes(1)))[0].Code);
    }

    [Fact]
    public void A_mosunetuzumab_repeated_step_up_says_so_and_adds_premedication_on_days_1_8_and_15()
    {
        var advice = Delayed(On("mosunetuzumab", OneToTwoWeeks, MoreThanTwoWeeks), "1 mg (C1D1)", TimeSpan.FromDays(20));

        Assert.Equal(["mosunetuzumab.delay.repeat-step-up", "mosunetuzumab.delay.premedicate-repeated-step-up"], advice.Select(a => a.Code));
        Assert.Contains("> 2 weeks since it (here 20 days): repeat the step-up. Repeat 1 mg (C1D1), then 2 mg (C1D8), then resume",
            advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("premedicate all patients on Day 1, 8 and 15 of the next cycle", advice[1].Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.3 (S-LUN-US)", advice[1].Source);
    }

    [Fact]
    public void Another_drugs_repeated_step_up_has_no_mosunetuzumab_premedication_note()
    {
        var rule = new DelayRule("0.16 mg (C1D1)", TimeSpan.FromDays(8), null, "> 8 days",
            "Repeat the Cycle 1 schedule from step-up dose 1", true, "CLINICAL-RULES.md §5.4 (drugs.com dosage monograph of the US PI)");

        var advice = Delayed(On("epcoritamab", rule), "0.16 mg (C1D1)", TimeSpan.FromDays(9));

        var item = Assert.Single(advice);
        Assert.Equal("epcoritamab.delay.repeat-step-up", item.Code);
        Assert.Contains("repeat the step-up", item.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.4 (drugs.com dosage monograph of the US PI)", item.Source);
    }

    [Fact]
    public void The_last_dose_label_is_matched_exactly() =>
        Assert.Equal("mosunetuzumab.delay.not-encoded",
            Assert.Single(Delayed(On("mosunetuzumab", OneToTwoWeeks), "1 MG (C1D1)", TimeSpan.FromDays(10))).Code);

    [Theory]
    [InlineData("mosunetuzumab", "30 mg (C3D1)", "Not encoded: consult the mosunetuzumab (Lunsumio) label's restart/delay table.")]
    [InlineData("blinatumomab", "28 µg/day", "Not encoded: consult the blinatumomab (Blincyto) label's restart/delay table.")]
    [InlineData("glofitamab", "10 mg (C1D15)", "Not encoded: consult the glofitamab (Columvi) label's restart/delay table: section 2 (US) / 4.2 Table 2 (EU), "
        + "for whether obinutuzumab pre-treatment and step-up must be repeated.")]
    [InlineData("cevostamab", "x", "Not encoded: consult the cevostamab label's restart/delay table.")]
    [InlineData("teclistamab", "x", "Not encoded: consult the teclistamab (Tecvayli) label's restart table (US PI Table 2;")]
    public void No_matching_rule_is_never_silent_and_sends_to_the_labels_restart_table(string drug, string label, string text)
    {
        var item = Assert.Single(Delayed(On(drug, OneToTwoWeeks), label, TimeSpan.FromDays(30)));

        Assert.Equal($"{drug}.delay.not-encoded", item.Code);
        Assert.StartsWith(text, item.Text, StringComparison.Ordinal);
        Assert.Contains($"Last dose {label}, 30 days ago", item.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regimen_without_delay_rules_sends_to_the_label() =>
        Assert.Equal("epcoritamab.delay.not-encoded",
            Assert.Single(Delayed(new(Patients.Regimen("epcoritamab"), 70, null, null), "48 mg", TimeSpan.FromDays(50))).Code);

    [Fact]
    public void A_not_encoded_delay_rule_keeps_its_wording()
    {
        var rule = new DelayRule("0.8 mg (C1D8)", TimeSpan.FromDays(8), null, "> 8 days",
            "Not encoded: consult the EPKINLY label, FL restart table", false, "S-EPK-HCP (interval only) ❌");

        var item = Assert.Single(Delayed(On("epcoritamab", rule), "0.8 mg (C1D8)", TimeSpan.FromDays(9)));

        Assert.Equal("epcoritamab.delay.not-encoded", item.Code);
        Assert.Equal("Not encoded: consult the EPKINLY label, FL restart table", item.Text);
        Assert.Equal("CLINICAL-RULES.md §5.4 (S-EPK-HCP (interval only) ❌)", item.Source);
    }

    [Fact]
    public void No_regimen_or_an_investigational_one_gets_a_consult_item()
    {
        var none = Delayed(Patients.WithoutRegimen(), "1 mg", TimeSpan.FromDays(3));
        var investigational = Delayed(new(Patients.Regimen("mosunetuzumab", RegimenStatus.Investigational, [OneToTwoWeeks]), 70, null, null),
            "1 mg (C1D1)", TimeSpan.FromDays(10));

        Assert.Equal(MitigationAdvisor.NoRegimenCode, Assert.Single(none).Code);
        Assert.Equal(MitigationAdvisor.InvestigationalCode, Assert.Single(investigational).Code);
        Assert.StartsWith("Not encoded: consult the study protocol", investigational[0].Text, StringComparison.Ordinal);
    }
}
