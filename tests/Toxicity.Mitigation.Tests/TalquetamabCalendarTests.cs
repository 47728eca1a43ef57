using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// Talquetamab (CLINICAL-RULES.md §5.9): the weekly and biweekly calendars against the label schedules written out by
/// hand, per label (US D1, D4, D7 [, D10]; EU D1, D3, D5 [, D7]), and the restart table whose actions were not read.
/// C1D1 2026-01-05; 70 kg: 0.01 mg/kg = 0.7 mg, 0.06 mg/kg = 4.2 mg, 0.4 mg/kg = 28 mg, 0.8 mg/kg = 56 mg.
/// </summary>
public sealed class TalquetamabCalendarTests
{
    private const string ByWeight = "computed from the actual body weight, unrounded: round as the label says (not encoded)";
    private const string Sud1 = "0.01 mg/kg (step-up dose 1)";
    private const string Sud2 = "0.06 mg/kg (step-up dose 2)";
    private const string Sud3 = "0.4 mg/kg (step-up dose 3)";
    private const string Weekly = "0.4 mg/kg (once weekly)";
    private const string Biweekly = "0.8 mg/kg (every 2 weeks)";

    // US (S-TAL-DC ⚠️), 1-3 h before each dose of the step-up dosing schedule (S-TAL-JNJ ⚠️).
    private static readonly ExpectedPremedication[] StepUp =
    [
        new("dexamethasone", "16 mg", "orally or IV", "1 to 3 hours before the dose"),
        new("diphenhydramine", "50 mg", "orally or IV", "1 to 3 hours before the dose"),
        new("acetaminophen", "650-1000 mg", "orally or IV", "1 to 3 hours before the dose"),
    ];

    // After CRS (S-TAL-BB ⚠️): "pre-treatment medications should be administered prior to the next TALVEY dose".
    private static readonly ExpectedPremedication[] AfterCrs =
    [
        new("dexamethasone", "16 mg", "orally or IV", "1 to 3 hours before the dose", "CRS with the previous dose"),
        new("diphenhydramine", "50 mg", "orally or IV", "1 to 3 hours before the dose", "CRS with the previous dose"),
        new("acetaminophen", "650-1000 mg", "orally or IV", "1 to 3 hours before the dose", "CRS with the previous dose"),
    ];

    private static readonly ExpectedPremedication[] OtherLabel = [new("premedication (per label)", null, null, "per label", NotEncoded: true)];

    private const string UsHospitalise = "Hospitalise for 48 hours after this dose (\"hospitalized for 48 hours after all doses within the step-up dosing schedule\")";
    private const string FirstTreatmentDoseCounted = "The first treatment dose is counted in the step-up dosing schedule (safer reading";
    private const string EuNotEncoded = "Monitoring under the EU SmPC: not encoded: consult the Talvey SmPC §4.2/4.4.";
    private const string Tocilizumab = "Tocilizumab availability: not encoded: consult the label";

    private static readonly ExpectedDay[] WeeklyUs =
    [
        new(1, "2026-01-05", 0.7, "mg", DoseRole.StepUp, Sud1, null, StepUp, [UsHospitalise, Tocilizumab], ByWeight),
        new(4, "2026-01-08", 4.2, "mg", DoseRole.StepUp, Sud2, null, StepUp, [UsHospitalise, Tocilizumab], ByWeight),
        new(7, "2026-01-11", 28, "mg", DoseRole.Full, Weekly, null, StepUp, [FirstTreatmentDoseCounted, Tocilizumab], ByWeight),
        new(14, "2026-01-18", 28, "mg", DoseRole.Full, Weekly, null, AfterCrs, [], ByWeight),
        new(21, "2026-01-25", 28, "mg", DoseRole.Full, Weekly, null, AfterCrs, [], ByWeight),
        new(28, "2026-02-01", 28, "mg", DoseRole.Full, Weekly, null, AfterCrs, [], ByWeight),
    ];

    private static readonly ExpectedDay[] WeeklyEu =
    [
        new(1, "2026-01-05", 0.7, "mg", DoseRole.StepUp, Sud1, null, OtherLabel, [EuNotEncoded, Tocilizumab], ByWeight),
        new(3, "2026-01-07", 4.2, "mg", DoseRole.StepUp, Sud2, null, OtherLabel, [EuNotEncoded, Tocilizumab], ByWeight),
        new(5, "2026-01-09", 28, "mg", DoseRole.Full, Weekly, null, OtherLabel, [EuNotEncoded, Tocilizumab], ByWeight),
        new(12, "2026-01-16", 28, "mg", DoseRole.Full, Weekly, null, OtherLabel, [], ByWeight),
        new(19, "2026-01-23", 28, "mg", DoseRole.Full, Weekly, null, OtherLabel, [], ByWeight),
        new(26, "2026-01-30", 28, "mg", DoseRole.Full, Weekly, null, OtherLabel, [], ByWeight),
    ];

    private static readonly ExpectedDay[] BiweeklyUs =
    [
        new(1, "2026-01-05", 0.7, "mg", DoseRole.StepUp, Sud1, null, StepUp, [UsHospitalise, Tocilizumab], ByWeight),
        new(4, "2026-01-08", 4.2, "mg", DoseRole.StepUp, Sud2, null, StepUp, [UsHospitalise, Tocilizumab], ByWeight),
        new(7, "2026-01-11", 28, "mg", DoseRole.StepUp, Sud3, null, StepUp, [UsHospitalise, Tocilizumab], ByWeight),
        new(10, "2026-01-14", 56, "mg", DoseRole.Full, Biweekly, null, StepUp, [FirstTreatmentDoseCounted, Tocilizumab], ByWeight),
        new(24, "2026-01-28", 56, "mg", DoseRole.Full, Biweekly, null, AfterCrs, [], ByWeight),
        new(38, "2026-02-11", 56, "mg", DoseRole.Full, Biweekly, null, AfterCrs, [], ByWeight),
    ];

    private static readonly ExpectedDay[] BiweeklyEu =
    [
        new(1, "2026-01-05", 0.7, "mg", DoseRole.StepUp, Sud1, null, OtherLabel, [EuNotEncoded, Tocilizumab], ByWeight),
        new(3, "2026-01-07", 4.2, "mg", DoseRole.StepUp, Sud2, null, OtherLabel, [EuNotEncoded, Tocilizumab], ByWeight),
        new(5, "2026-01-09", 28, "mg", DoseRole.StepUp, Sud3, null, OtherLabel, [EuNotEncoded, Tocilizumab], ByWeight),
        new(7, "2026-01-11", 56, "mg", DoseRole.Full, Biweekly, null, OtherLabel, [EuNotEncoded, Tocilizumab], ByWeight),
        new(21, "2026-01-25", 56, "mg", DoseRole.Full, Biweekly, null, OtherLabel, [], ByWeight),
        new(35, "2026-02-08", 56, "mg", DoseRole.Full, Biweekly, null, OtherLabel, [], ByWeight),
    ];

    [Fact]
    public void The_US_weekly_calendar_is_D1_D4_D7_then_weekly_from_D7() =>
        CalendarAssert.MatchesByDay(WeeklyUs, TreatmentPlanner.Plan(Talquetamab.Weekly, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 4, Jurisdiction.Us));

    [Fact]
    public void The_EU_weekly_calendar_is_D1_D3_D5_then_weekly_from_D5() =>
        CalendarAssert.MatchesByDay(WeeklyEu, TreatmentPlanner.Plan(Talquetamab.Weekly, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 4, Jurisdiction.Eu));

    [Fact]
    public void The_US_biweekly_calendar_is_D1_D4_D7_D10_then_every_2_weeks_from_D10() =>
        CalendarAssert.MatchesByDay(BiweeklyUs, TreatmentPlanner.Plan(Talquetamab.Biweekly, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 3, Jurisdiction.Us));

    [Fact]
    public void The_EU_biweekly_calendar_is_D1_D3_D5_D7_then_every_2_weeks_from_D7() =>
        CalendarAssert.MatchesByDay(BiweeklyEu, TreatmentPlanner.Plan(Talquetamab.Biweekly, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 3, Jurisdiction.Eu));

    [Fact]
    public void The_entries_are_US_and_EU_label_regimens_without_label_cycles_and_not_planned_at_a_Swiss_site()
    {
        Assert.Equal(["talquetamab-weekly", "talquetamab-biweekly"], Talquetamab.Regimens.Select(r => r.Id));
        Assert.All(Talquetamab.Regimens, r =>
        {
            Assert.Equal((RegimenStatus.Label, Route.Subcutaneous, (int?)null, false, Jurisdiction.Us | Jurisdiction.Eu),
                (r.Status, r.Route, r.MaxCycles, r.LabelCycles, r.Jurisdiction));
            Assert.False(TreatmentPlanner.OnLabelAt(r, Jurisdiction.Ch));
            Assert.Contains(r.NotEncoded!, t => t.StartsWith("Restart after a delay", StringComparison.Ordinal) && t.Contains("consult the TALVEY label restart table", StringComparison.Ordinal));
        });
    }

    // The weekly restart table: only the key "last 0.01 mg/kg, more than 7 days" was read; its action is ❌, so the row
    // is consult-only (it never moves the calendar). No other row has a threshold: every other delay sends to the label.
    [Theory]
    [InlineData("talquetamab-weekly", Sud1, 7, 0, null)]
    [InlineData("talquetamab-weekly", Sud1, 7, 1, "more than 7 days")]
    [InlineData("talquetamab-weekly", Sud1, 60, 0, "more than 7 days")]
    [InlineData("talquetamab-weekly", Sud2, 30, 0, null)]
    [InlineData("talquetamab-weekly", Weekly, 30, 0, null)]
    [InlineData("talquetamab-biweekly", Sud1, 30, 0, null)]
    [InlineData("talquetamab-biweekly", Biweekly, 30, 0, null)]
    public void A_delay_is_consult_only_with_the_row_key_where_it_was_read(string id, string lastDose, int days, int minutes, string? window) =>
        DelayEdgeAssert.Covers(id, lastDose, days, minutes, window);

    [Fact]
    public void The_keyed_restart_row_is_not_encoded_and_gives_nothing()
    {
        var rule = Assert.Single(Talquetamab.Weekly.DelayRules!);

        Assert.False(rule.Encoded);
        Assert.StartsWith("Not encoded: consult the TALVEY label restart table", rule.Action, StringComparison.Ordinal);
        Assert.Equal(((IReadOnlyList<string>?)null, (string?)null, false), (rule.Give, rule.ThenResume, rule.RepeatsStepUp));
        Assert.Null(Talquetamab.Biweekly.DelayRules);
        var item = Assert.Single(MitigationAdvisor.OnDoseDelayed(new PatientContext(Talquetamab.Weekly, 70, 1.8, 55), Sud1, TimeSpan.FromDays(8)));
        Assert.Equal(("talquetamab.delay.not-encoded", rule.Action), (item.Code, item.Text));
    }
}
