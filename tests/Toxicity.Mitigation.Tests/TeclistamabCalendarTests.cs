using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// Teclistamab (CLINICAL-RULES.md §5.7): the generated calendars against the label schedules written out by hand, per
/// label (US D1, D4, D7 then weekly; EU/HK D1, D3, D5 then weekly; a Swiss site takes the EU/HK days with a warning), and
/// the US restart table at every edge. C1D1 2026-01-05; 70 kg: 0.06 mg/kg = 4.2 mg, 0.3 mg/kg = 21 mg, 1.5 mg/kg = 105 mg.
/// </summary>
public sealed class TeclistamabCalendarTests
{
    private const string ByWeight = "computed from the actual body weight, unrounded: round as the label says (not encoded)";
    private const string Sud1 = "0.06 mg/kg (step-up dose 1)";
    private const string Sud2 = "0.3 mg/kg (step-up dose 2)";
    private const string Weekly = "1.5 mg/kg (once weekly)";
    private const string Q2W = "1.5 mg/kg (every 2 weeks)";

    // US (S-TEC-HCP ⚠️): dexamethasone 16 mg orally or IV 1 to 3 hours before; H1-receptor antagonist and antipyretic ❌.
    private static readonly ExpectedPremedication[] StepUp =
    [
        new("dexamethasone (corticosteroid)", "16 mg", "orally or IV", "1 to 3 hours before the dose"),
        new("H1-receptor antagonist", null, null, "before the dose (timing per label)", NotEncoded: true),
        new("antipyretic", null, null, "before the dose (timing per label)", NotEncoded: true),
    ];

    // SUD1 also: "Consider initiation of antiviral prophylaxis" before start (agent ❌).
    private static readonly ExpectedPremedication[] FirstDose =
        [.. StepUp, new("antiviral prophylaxis (herpes zoster reactivation)", null, null, "before the start of treatment", NotEncoded: true)];

    // Later doses (S-TEC-MS ⚠️): "may be required" after CRS with the prior dose or repeated step-up doses.
    private static readonly ExpectedPremedication[] Later =
    [
        new("dexamethasone (corticosteroid)", "16 mg", "orally or IV", "1 to 3 hours before the dose", "CRS with the prior dose"),
        new("H1-receptor antagonist", null, null, "before the dose (timing per label)", "CRS with the prior dose", NotEncoded: true),
        new("antipyretic", null, null, "before the dose (timing per label)", "CRS with the prior dose", NotEncoded: true),
    ];

    // EU, CH: the premedication rows are US-only (§5.13): a consult item instead.
    private static readonly ExpectedPremedication[] OtherLabel = [new("premedication (per label)", null, null, "per label", NotEncoded: true)];

    private const string UsHospitalise = "Hospitalise for 48 hours after this dose (the step-up dosing schedule";
    private const string FirstTreatmentDoseCounted = "The first treatment dose is counted in the step-up dosing schedule (safer reading";
    private const string Tocilizumab = "Tocilizumab availability: not encoded: consult the label";
    private const string UsAfterIcans2 = "Hospitalise for 48 hours following this dose (\"hospitalized for 48 hours following the next dose\"). [if ICANS grade 2 with the previous dose]";
    private const string EuDaily = "Remain within proximity of a healthcare facility; monitored daily for 48 hours after this dose.";
    private const string EuFirstTreatmentDose = "says \"after any step-up dose\"; the first treatment dose closes the step-up dosing schedule";
    private const string EuAfterCrs = "monitored daily for 48 hours after this dose. [if Grade ≥ 2 CRS with the previous dose";
    private const string Swiss = "Inpatient monitoring for at least 48 hours after this dose (\"mindestens 48 Stunden\"); daily checks for up to 7 days";
    private const string SwissFirstTreatmentDose = "The Swiss label says \"after each step-up dose\"; the first treatment dose closes";
    private const string SwissAfterCrs = "[if CRS grade ≥ 2 or relevant neurotoxicity with the previous dose]";

    private static readonly ExpectedDay[] Us =
    [
        new(1, "2026-01-05", 4.2, "mg", DoseRole.StepUp, Sud1, null, FirstDose, [UsHospitalise, Tocilizumab], ByWeight),
        new(4, "2026-01-08", 21, "mg", DoseRole.StepUp, Sud2, null, StepUp, [UsHospitalise, Tocilizumab], ByWeight),
        new(7, "2026-01-11", 105, "mg", DoseRole.Full, Weekly, null, StepUp, [FirstTreatmentDoseCounted, Tocilizumab], ByWeight),
        new(14, "2026-01-18", 105, "mg", DoseRole.Full, Weekly, null, Later, [UsAfterIcans2], ByWeight),
        new(21, "2026-01-25", 105, "mg", DoseRole.Full, Weekly, null, Later, [UsAfterIcans2], ByWeight),
        new(28, "2026-02-01", 105, "mg", DoseRole.Full, Weekly, null, Later, [UsAfterIcans2], ByWeight),
        new(35, "2026-02-08", 105, "mg", DoseRole.Full, Weekly, null, Later, [UsAfterIcans2], ByWeight),
        new(42, "2026-02-15", 105, "mg", DoseRole.Full, Weekly, null, Later, [UsAfterIcans2], ByWeight),
    ];

    private static readonly ExpectedDay[] Eu =
    [
        new(1, "2026-01-05", 4.2, "mg", DoseRole.StepUp, Sud1, null, OtherLabel, [EuDaily, Tocilizumab], ByWeight),
        new(3, "2026-01-07", 21, "mg", DoseRole.StepUp, Sud2, null, OtherLabel, [EuDaily, Tocilizumab], ByWeight),
        new(5, "2026-01-09", 105, "mg", DoseRole.Full, Weekly, null, OtherLabel, [EuFirstTreatmentDose, Tocilizumab], ByWeight),
        new(12, "2026-01-16", 105, "mg", DoseRole.Full, Weekly, null, OtherLabel, [EuAfterCrs], ByWeight),
        new(19, "2026-01-23", 105, "mg", DoseRole.Full, Weekly, null, OtherLabel, [EuAfterCrs], ByWeight),
        new(26, "2026-01-30", 105, "mg", DoseRole.Full, Weekly, null, OtherLabel, [EuAfterCrs], ByWeight),
        new(33, "2026-02-06", 105, "mg", DoseRole.Full, Weekly, null, OtherLabel, [EuAfterCrs], ByWeight),
        new(40, "2026-02-13", 105, "mg", DoseRole.Full, Weekly, null, OtherLabel, [EuAfterCrs], ByWeight),
    ];

    // No Swiss dose rows were read: a Swiss calendar takes the EU/HK rows (the nearest label), each with a warning.
    private static string StandIn(string labels) =>
        $"{ByWeight}; this dose row is read in the {labels} label only (CLINICAL-RULES.md §5.13): confirm it against the CH label";

    private static readonly ExpectedDay[] Ch =
    [
        new(1, "2026-01-05", 4.2, "mg", DoseRole.StepUp, Sud1, null, OtherLabel, [Swiss, Tocilizumab], StandIn("US/EU/HK")),
        new(3, "2026-01-07", 21, "mg", DoseRole.StepUp, Sud2, null, OtherLabel, [Swiss, Tocilizumab], StandIn("EU/HK")),
        new(5, "2026-01-09", 105, "mg", DoseRole.Full, Weekly, null, OtherLabel, [SwissFirstTreatmentDose, Tocilizumab], StandIn("EU/HK")),
        new(12, "2026-01-16", 105, "mg", DoseRole.Full, Weekly, null, OtherLabel, [SwissAfterCrs], StandIn("EU/HK")),
        new(19, "2026-01-23", 105, "mg", DoseRole.Full, Weekly, null, OtherLabel, [SwissAfterCrs], StandIn("EU/HK")),
    ];

    private static readonly ExpectedDay[] EveryTwoWeeks =
    [
        new(1, "2026-01-05", 105, "mg", DoseRole.Full, Q2W, null, Later, [UsAfterIcans2], ByWeight),
        new(15, "2026-01-19", 105, "mg", DoseRole.Full, Q2W, null, Later, [UsAfterIcans2], ByWeight),
        new(29, "2026-02-02", 105, "mg", DoseRole.Full, Q2W, null, Later, [UsAfterIcans2], ByWeight),
        new(43, "2026-02-16", 105, "mg", DoseRole.Full, Q2W, null, Later, [UsAfterIcans2], ByWeight),
    ];

    [Fact]
    public void The_US_calendar_is_D1_D4_D7_then_weekly_from_D7()
    {
        var plan = TreatmentPlanner.Plan(Teclistamab.Weekly, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 6, Jurisdiction.Us);

        CalendarAssert.MatchesByDay(Us, plan);
    }

    [Fact]
    public void The_EU_calendar_is_D1_D3_D5_then_weekly_from_D5()
    {
        var plan = TreatmentPlanner.Plan(Teclistamab.Weekly, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 6, Jurisdiction.Eu);

        CalendarAssert.MatchesByDay(Eu, plan);
    }

    [Fact]
    public void A_Swiss_calendar_takes_the_EU_HK_days_with_a_warning_and_shows_the_Swiss_monitoring()
    {
        var plan = TreatmentPlanner.Plan(Teclistamab.Weekly, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 3, Jurisdiction.Ch);

        CalendarAssert.MatchesByDay(Ch, plan);
    }

    [Fact]
    public void The_every_2_weeks_calendar_is_1_5_mg_per_kg_every_14_days_at_a_US_site_only()
    {
        var plan = TreatmentPlanner.Plan(Teclistamab.EveryTwoWeeks, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 4, Jurisdiction.Us);

        CalendarAssert.MatchesByDay(EveryTwoWeeks, plan);
        Assert.False(TreatmentPlanner.OnLabelAt(Teclistamab.EveryTwoWeeks, Jurisdiction.Eu));
        Assert.False(TreatmentPlanner.OnLabelAt(Teclistamab.EveryTwoWeeks, Jurisdiction.Ch));
    }

    [Fact]
    public void The_entries_have_no_label_cycles_are_open_ended_and_tagged_with_their_labels()
    {
        Assert.Equal(
            [("teclistamab", Jurisdiction.Us | Jurisdiction.Eu | Jurisdiction.Hk | Jurisdiction.Ch), ("teclistamab-q2w", Jurisdiction.Us)],
            Teclistamab.Regimens.Select(r => (r.Id, r.Jurisdiction)));
        Assert.All(Teclistamab.Regimens, r =>
        {
            Assert.Equal((RegimenStatus.Label, Route.Subcutaneous, (int?)null, false), (r.Status, r.Route, r.MaxCycles, r.LabelCycles));
            Assert.All(r.Doses.Where(d => d.Role == DoseRole.Full), d => Assert.Equal(1.5, d.Amount.PerKg));
        });
        Assert.Contains(Teclistamab.Weekly.NotEncoded!, t => t.Contains("teclistamab-q2w", StringComparison.Ordinal)
            && t.Contains("\"complete response or better for a minimum of 6 months\"", StringComparison.Ordinal));
    }

    // US PI Table 2 (S-TEC-JNJ ⚠️), at every edge: just inside and just outside each bound.
    [Theory]
    [InlineData(Sud1, 7, 0, null)]
    [InlineData(Sud1, 7, 1, "> 7 days")]
    [InlineData(Sud1, 200, 0, "> 7 days")]
    [InlineData(Sud2, 7, 0, null)]
    [InlineData(Sud2, 7, 1, "8-28 days")]
    [InlineData(Sud2, 28, 0, "8-28 days")]
    [InlineData(Sud2, 28, 1, "> 28 days")]
    [InlineData(Weekly, 7, 0, "≤ 28 days (any weekly dose)")]
    [InlineData(Weekly, 28, 0, "≤ 28 days (any weekly dose)")]
    [InlineData(Weekly, 28, 1, "29-56 days (any weekly dose)")]
    [InlineData(Weekly, 56, 0, "29-56 days (any weekly dose)")]
    [InlineData(Weekly, 56, 1, "> 56 days (any weekly dose)")]
    public void A_weekly_delay_falls_in_exactly_the_restart_row_the_label_gives(string lastDose, int days, int minutes, string? window) =>
        DelayEdgeAssert.Covers("teclistamab", lastDose, days, minutes, window);

    [Theory]
    [InlineData(14, 0, "≤ 63 days (any Q2W dose)")]
    [InlineData(63, 0, "≤ 63 days (any Q2W dose)")]
    [InlineData(63, 1, "64-112 days (any Q2W dose)")]
    [InlineData(112, 0, "64-112 days (any Q2W dose)")]
    [InlineData(112, 1, "> 112 days (any Q2W dose)")]
    public void An_every_2_weeks_delay_falls_in_exactly_the_restart_row_the_label_gives(int days, int minutes, string window) =>
        DelayEdgeAssert.Covers("teclistamab-q2w", Q2W, days, minutes, window);

    [Fact]
    public void The_restart_rows_say_what_they_give_with_the_labels_footnotes()
    {
        const string a = "(a) \"Administer pretreatment medications prior to TECVAYLI dose and monitor patients accordingly.\"";
        const string b = "(b) \"Consider the benefit-risk of restarting TECVAYLI in patients who require a dose delay of more than 28 days due to an adverse reaction.\"";
        Assert.Equal(
            [
                $"{Sud1} | > 7 days | {Sud1} | a",
                $"{Sud2} | 8-28 days | {Sud2} | a",
                $"{Sud2} | > 28 days | {Sud1} | ab",
                $"{Weekly} | ≤ 28 days (any weekly dose) | next planned dose | ",
                $"{Weekly} | 29-56 days (any weekly dose) | {Sud2} | ab",
                $"{Weekly} | > 56 days (any weekly dose) | {Sud1} | ab",
            ],
            Teclistamab.Weekly.DelayRules!.Select(r => $"{r.LastDoseLabel} | {r.Window} | {(r.Give is { } give ? string.Join(", ", give) : "next planned dose")} | "
                + (r.Action.Contains(a, StringComparison.Ordinal) ? "a" : string.Empty) + (r.Action.Contains(b, StringComparison.Ordinal) ? "b" : string.Empty)));
        Assert.All(Teclistamab.Weekly.DelayRules!, r => Assert.Equal((null, null, Jurisdiction.Us), (r.ThenResume, r.ResumeAfter, r.Jurisdiction)));
        Assert.All(Teclistamab.EveryTwoWeeks.DelayRules!, r =>
        {
            Assert.Contains(b, r.Action, StringComparison.Ordinal);
            Assert.Null(r.Give);
        });
        Assert.All(Teclistamab.EveryTwoWeeks.DelayRules!.Where(r => r.RepeatsStepUp), r =>
            Assert.Contains("the clinician re-plans the patient on it", r.Action, StringComparison.Ordinal));
    }

    [Fact]
    public void A_delay_after_a_weekly_dose_is_advised_with_the_label_row_and_footnotes()
    {
        var advice = MitigationAdvisor.OnDoseDelayed(new PatientContext(Teclistamab.Weekly, 70, 1.8, 55), Weekly, TimeSpan.FromDays(30));

        var item = Assert.Single(advice);
        Assert.Equal("teclistamab.delay.repeat-step-up", item.Code);
        Assert.StartsWith("Per the teclistamab (Tecvayli) label (clinician to confirm): last dose 1.5 mg/kg (once weekly), 29-56 days (any weekly dose) "
            + "since it (here 30 days): repeat the step-up. Restart at step-up dose 2 (0.3 mg/kg)", item.Text, StringComparison.Ordinal);
        Assert.Equal("CLINICAL-RULES.md §5.7 restart table, US PI Table 2 (S-TEC-JNJ ⚠️)", item.Source);
    }

    [Fact]
    public void A_patient_without_a_recorded_weight_gets_no_amount_and_a_warning_to_record_it()
    {
        var plan = TreatmentPlanner.Plan(Teclistamab.Weekly, CalendarAssert.Cycle1Day1, new PatientMeasures(null, 1.8, 55), 2, Jurisdiction.Us);

        Assert.Equal(4, plan.Doses.Count);
        Assert.All(plan.Doses, d =>
        {
            Assert.Null(d.Amount);
            Assert.Equal("mg", d.Unit);
            Assert.Equal("dose by actual body weight: record the patient's weight to compute it", d.Warning);
        });
        Assert.Equal(16, plan.Doses[0].Premedication[0].Amount);
    }
}
