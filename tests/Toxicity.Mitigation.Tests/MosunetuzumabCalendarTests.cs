using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// Mosunetuzumab (CLINICAL-RULES.md §5.3): the generated calendar against the label schedule written out by hand.
/// 21-day cycles from C1D1 2026-01-05.
/// </summary>
public sealed class MosunetuzumabCalendarTests
{
    // §5.3 premedication table (EU SmPC Table 1; US): IV corticosteroid dexamethasone 20 mg or methylprednisolone 80 mg
    // completed ≥ 1 h before; diphenhydramine 50-100 mg (or equivalent) orally or IV ≥ 30 min before; paracetamol
    // (acetaminophen) 500-1000 mg ≥ 30 min before.
    private static readonly ExpectedPremedication[] AllPatients =
    [
        new("dexamethasone", "20 mg", "IV", "completed ≥ 1 h before the dose", Alternative: "methylprednisolone 80 mg IV"),
        new("diphenhydramine (or equivalent antihistamine)", "50-100 mg", "orally or IV", "≥ 30 min before the dose"),
        new("paracetamol (acetaminophen)", "500-1000 mg", null, "≥ 30 min before the dose"),
    ];

    // Cycle 3+: only for patients who had any-grade CRS with the previous dose.
    private static readonly ExpectedPremedication[] AfterCrs =
    [
        new("dexamethasone", "20 mg", "IV", "completed ≥ 1 h before the dose", "CRS (any grade) with the previous dose", Alternative: "methylprednisolone 80 mg IV"),
        new("diphenhydramine (or equivalent antihistamine)", "50-100 mg", "orally or IV", "≥ 30 min before the dose", "CRS (any grade) with the previous dose"),
        new("paracetamol (acetaminophen)", "500-1000 mg", null, "≥ 30 min before the dose", "CRS (any grade) with the previous dose"),
    ];

    private const string NoHospitalisation = "No mandatory hospitalisation in the US label";
    private const string Swiss72h = "at least 72 h of inpatient monitoring at this dose. [if CRS grade ≥ 2 with the previous dose";

    private static readonly ExpectedDose[] Label =
    [
        new(1, 1, "2026-01-05", 1, "mg", DoseRole.StepUp, "1 mg (C1D1)", "over ≥ 4 h (Cycle 1)", AllPatients, [NoHospitalisation]),
        new(1, 8, "2026-01-12", 2, "mg", DoseRole.StepUp, "2 mg (C1D8)", "over ≥ 4 h (Cycle 1)", AllPatients, [NoHospitalisation, Swiss72h]),
        new(1, 15, "2026-01-19", 60, "mg", DoseRole.Full, "60 mg (C1D15)", "over ≥ 4 h (Cycle 1)", AllPatients, [NoHospitalisation, Swiss72h]),
        new(2, 1, "2026-01-26", 60, "mg", DoseRole.Full, "60 mg (C2D1)", "over 2 h if Cycle 1 was well tolerated", AllPatients, [NoHospitalisation, Swiss72h]),
        new(3, 1, "2026-02-16", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(4, 1, "2026-03-09", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(5, 1, "2026-03-30", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(6, 1, "2026-04-20", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(7, 1, "2026-05-11", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(8, 1, "2026-06-01", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(9, 1, "2026-06-22", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(10, 1, "2026-07-13", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(11, 1, "2026-08-03", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(12, 1, "2026-08-24", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(13, 1, "2026-09-14", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(14, 1, "2026-10-05", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(15, 1, "2026-10-26", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(16, 1, "2026-11-16", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
        new(17, 1, "2026-12-07", 30, "mg", DoseRole.Full, "30 mg (C3+)", "over 2 h if well tolerated", AfterCrs, [NoHospitalisation, Swiss72h]),
    ];

    [Fact]
    public void The_label_calendar_is_1_2_60_mg_in_cycle_1_then_60_mg_C2D1_then_30_mg_each_cycle_up_to_17_cycles()
    {
        var plan = TreatmentPlanner.Plan(Mosunetuzumab.Label, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 20);

        Assert.Equal(17, plan.Cycles);
        CalendarAssert.Matches(Label, plan);
    }

    [Fact]
    public void The_entry_is_a_label_IV_regimen_of_21_day_cycles_whose_8_or_17_cycle_duration_is_explained_to_the_clinician()
    {
        var regimen = RegimenCatalogue.Find("mosunetuzumab");

        Assert.NotNull(regimen);
        Assert.Equal((RegimenStatus.Label, Route.Intravenous, 17), (regimen.Status, regimen.Route, regimen.MaxCycles));
        Assert.All(Enumerable.Range(1, 17), c => Assert.Equal(21, regimen.LengthOf(c)));
        Assert.Contains(regimen.NotEncoded!, t => t.Contains("8 cycles", StringComparison.Ordinal) && t.Contains("17 in total", StringComparison.Ordinal));
        Assert.Contains(regimen.NotEncoded!, t => t.Contains("60 mg (C2D1) or 30 mg (C3+)", StringComparison.Ordinal) && t.Contains("consult", StringComparison.OrdinalIgnoreCase));
    }

    // §5.3 restart table (US PI Table 2 via S-LUN-MS ⚠️): which row a delay falls in, at the edges of each window.
    [Theory]
    [InlineData("1 mg (C1D1)", 7, "1-2 weeks", false)]
    [InlineData("1 mg (C1D1)", 14, "1-2 weeks", false)]
    [InlineData("1 mg (C1D1)", 15, "> 2 weeks", true)]
    [InlineData("1 mg (C1D1)", 60, "> 2 weeks", true)]
    [InlineData("2 mg (C1D8)", 7, "1-2 weeks", false)]
    [InlineData("2 mg (C1D8)", 14, "1-2 weeks", false)]
    [InlineData("2 mg (C1D8)", 15, "> 2 weeks to < 6 weeks", true)]
    [InlineData("2 mg (C1D8)", 41, "> 2 weeks to < 6 weeks", true)]
    [InlineData("2 mg (C1D8)", 42, "≥ 6 weeks", true)]
    [InlineData("60 mg (C1D15)", 7, "1 week to < 6 weeks", false)]
    [InlineData("60 mg (C1D15)", 41, "1 week to < 6 weeks", false)]
    [InlineData("60 mg (C1D15)", 42, "≥ 6 weeks", true)]
    public void A_delay_falls_in_exactly_the_restart_row_the_label_gives(string lastDose, int days, string window, bool repeatsStepUp)
    {
        var elapsed = TimeSpan.FromDays(days);
        var rows = Mosunetuzumab.Label.DelayRules!.Where(r =>
            r.LastDoseLabel == lastDose && (r.MoreThan is null || elapsed > r.MoreThan) && (r.AtMost is null || elapsed <= r.AtMost));

        var row = Assert.Single(rows);
        Assert.Equal((window, repeatsStepUp), (row.Window, row.RepeatsStepUp));
        Assert.Contains("S-LUN-MS ⚠️", row.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1 mg (C1D1)", 6)]
    [InlineData("2 mg (C1D8)", 6)]
    [InlineData("60 mg (C1D15)", 6)]
    [InlineData("60 mg (C2D1)", 100)]
    [InlineData("30 mg (C3+)", 100)]
    public void Before_one_week_or_after_a_later_dose_no_restart_row_applies(string lastDose, int days)
    {
        var elapsed = TimeSpan.FromDays(days);

        Assert.DoesNotContain(Mosunetuzumab.Label.DelayRules!, r =>
            r.LastDoseLabel == lastDose && (r.MoreThan is null || elapsed > r.MoreThan) && (r.AtMost is null || elapsed <= r.AtMost));
    }

    [Fact]
    public void The_restart_actions_are_the_label_rows()
    {
        Assert.Equal(
            [
                "1 mg (C1D1) | 1-2 weeks | Give 2 mg (C1D8), then resume",
                "1 mg (C1D1) | > 2 weeks | Repeat 1 mg (C1D1), then 2 mg (C1D8), then resume",
                "2 mg (C1D8) | 1-2 weeks | Give 60 mg (C1D15), then resume",
                "2 mg (C1D8) | > 2 weeks to < 6 weeks | Repeat 2 mg (C1D8), then 60 mg (C1D15), then resume",
                "2 mg (C1D8) | ≥ 6 weeks | Repeat 1 mg (C1D1) and 2 mg (C1D8), then 60 mg (C1D15), then resume",
                "60 mg (C1D15) | 1 week to < 6 weeks | Give 60 mg (C2D1), then resume",
                "60 mg (C1D15) | ≥ 6 weeks | Repeat the step-up as 1 mg (C2D1), 2 mg (C2D8), 60 mg (C2D15), then 30 mg (C3D1)",
            ],
            Mosunetuzumab.Label.DelayRules!.Select(r => $"{r.LastDoseLabel} | {r.Window} | {r.Action[..Math.Min(r.Action.Length, ActionPrefixLength(r.Action))]}"));
    }

    // The action up to "resume" (or the whole first sentence for the repeat-the-step-up row), without the label's
    // premedication sentence appended to repeated step-ups.
    private static int ActionPrefixLength(string action)
    {
        var resume = action.IndexOf("resume", StringComparison.Ordinal);
        return resume >= 0 ? resume + "resume".Length : action.IndexOf('.', StringComparison.Ordinal);
    }
}
