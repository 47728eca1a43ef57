using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// Odronextamab (CLINICAL-RULES.md §5.5, EU only): the generated calendars (FL, DLBCL) against the label schedule
/// written out by hand. C1-C3 21 days, C4 28 days (⚠️ derived), maintenance every 2 weeks; C1D1 2026-01-05.
/// </summary>
public sealed class OdronextamabCalendarTests
{
    private const string TimingNotRead = "before the dose (timing not read ❌)";

    // Every Cycle 1 dose: dexamethasone 10 mg (⚠️ read in part) on C1 D1, 2, 8, 9, 15, 16; antihistamine and
    // antipyretic ❌ (not-encoded text).
    private static readonly ExpectedPremedication[] Cycle1 =
    [
        new("dexamethasone", "10 mg", "ora[l/IV] (route read in part ⚠️)", "before the dose (timing not read ❌: see SmPC section 4.2)"),
        new("antihistamine", null, null, TimingNotRead, NotEncoded: true),
        new("antipyretic", null, null, TimingNotRead, NotEncoded: true),
    ];

    // Post-medication on C1 D3, D10, D17 and C2 D2 (doses ❌): placed on the dose of the day before.
    private static ExpectedPremedication PostMedication(string day) => new("post-medication", null, null, $"on the day after this dose ({day})", NotEncoded: true);

    private static ExpectedPremedication[] Cycle1Then(string postMedicationDay) => [.. Cycle1, PostMedication(postMedicationDay)];

    // C2 D1 and D8: premedication, drugs ❌.
    private static readonly ExpectedPremedication Cycle2 = new("premedication (drugs per label)", null, null, TimingNotRead, NotEncoded: true);

    // Beyond C2 D8: may continue until the dose is tolerated without CRS/IRR.
    private static readonly ExpectedPremedication UntilTolerated =
        new("premedication (drugs per label)", null, null, TimingNotRead, "not yet tolerated without CRS/IRR", NotEncoded: true);

    private const string WithinReach = "within reach of a qualified healthcare facility for at least 24 h after this dose";
    private const string Tocilizumab = "At least 1 dose of tocilizumab available before administration, and access to an additional dose within 8 h";

    private static readonly ExpectedDose[] FollicularLymphoma =
    [
        new(1, 1, "2026-01-05", 0.2, "mg", DoseRole.StepUp, "0.2 mg (C1D1)", null, Cycle1, [WithinReach, Tocilizumab]),
        new(1, 2, "2026-01-06", 0.5, "mg", DoseRole.StepUp, "0.5 mg (C1D2)", null, Cycle1Then("C1 D3"), [WithinReach, Tocilizumab]),
        new(1, 8, "2026-01-12", 2, "mg", DoseRole.StepUp, "2 mg (C1D8)", null, Cycle1, [WithinReach, Tocilizumab]),
        new(1, 9, "2026-01-13", 2, "mg", DoseRole.StepUp, "2 mg (C1D9)", null, Cycle1Then("C1 D10"), [WithinReach, Tocilizumab]),
        new(1, 15, "2026-01-19", 10, "mg", DoseRole.StepUp, "10 mg (C1D15)", null, Cycle1, [WithinReach, Tocilizumab]),
        new(1, 16, "2026-01-20", 10, "mg", DoseRole.StepUp, "10 mg (C1D16)", null, Cycle1Then("C1 D17"), [WithinReach, Tocilizumab]),
        new(2, 1, "2026-01-26", 80, "mg", DoseRole.Full, "80 mg (C2-C4)", null, [Cycle2, PostMedication("C2 D2")], [WithinReach]),
        new(2, 8, "2026-02-02", 80, "mg", DoseRole.Full, "80 mg (C2-C4)", null, [Cycle2], []),
        new(2, 15, "2026-02-09", 80, "mg", DoseRole.Full, "80 mg (C2-C4)", null, [UntilTolerated], []),
        new(3, 1, "2026-02-16", 80, "mg", DoseRole.Full, "80 mg (C2-C4)", null, [UntilTolerated], []),
        new(3, 8, "2026-02-23", 80, "mg", DoseRole.Full, "80 mg (C2-C4)", null, [UntilTolerated], []),
        new(3, 15, "2026-03-02", 80, "mg", DoseRole.Full, "80 mg (C2-C4)", null, [UntilTolerated], []),
        new(4, 1, "2026-03-09", 80, "mg", DoseRole.Full, "80 mg (C2-C4)", null, [UntilTolerated], []),
        new(4, 8, "2026-03-16", 80, "mg", DoseRole.Full, "80 mg (C2-C4)", null, [UntilTolerated], []),
        new(4, 15, "2026-03-23", 80, "mg", DoseRole.Full, "80 mg (C2-C4)", null, [UntilTolerated], []),
        new(5, 1, "2026-04-06", 160, "mg", DoseRole.Full, "160 mg maintenance (every 2 weeks)", null, [UntilTolerated], []),
        new(6, 1, "2026-04-20", 160, "mg", DoseRole.Full, "160 mg maintenance (every 2 weeks)", null, [UntilTolerated], []),
        new(7, 1, "2026-05-04", 160, "mg", DoseRole.Full, "160 mg maintenance (every 2 weeks)", null, [UntilTolerated], []),
    ];

    private static readonly ExpectedDose[] Dlbcl =
    [
        new(1, 1, "2026-01-05", 0.2, "mg", DoseRole.StepUp, "0.2 mg (C1D1)", null, Cycle1, [WithinReach, Tocilizumab]),
        new(1, 2, "2026-01-06", 0.5, "mg", DoseRole.StepUp, "0.5 mg (C1D2)", null, Cycle1Then("C1 D3"), [WithinReach, Tocilizumab]),
        new(1, 8, "2026-01-12", 2, "mg", DoseRole.StepUp, "2 mg (C1D8)", null, Cycle1, [WithinReach, Tocilizumab]),
        new(1, 9, "2026-01-13", 2, "mg", DoseRole.StepUp, "2 mg (C1D9)", null, Cycle1Then("C1 D10"), [WithinReach, Tocilizumab]),
        new(1, 15, "2026-01-19", 10, "mg", DoseRole.StepUp, "10 mg (C1D15)", null, Cycle1, [WithinReach, Tocilizumab]),
        new(1, 16, "2026-01-20", 10, "mg", DoseRole.StepUp, "10 mg (C1D16)", null, Cycle1Then("C1 D17"), [WithinReach, Tocilizumab]),
        new(2, 1, "2026-01-26", 160, "mg", DoseRole.Full, "160 mg (C2-C4)", null, [Cycle2, PostMedication("C2 D2")], [WithinReach]),
        new(2, 8, "2026-02-02", 160, "mg", DoseRole.Full, "160 mg (C2-C4)", null, [Cycle2], []),
        new(2, 15, "2026-02-09", 160, "mg", DoseRole.Full, "160 mg (C2-C4)", null, [UntilTolerated], []),
        new(3, 1, "2026-02-16", 160, "mg", DoseRole.Full, "160 mg (C2-C4)", null, [UntilTolerated], []),
        new(3, 8, "2026-02-23", 160, "mg", DoseRole.Full, "160 mg (C2-C4)", null, [UntilTolerated], []),
        new(3, 15, "2026-03-02", 160, "mg", DoseRole.Full, "160 mg (C2-C4)", null, [UntilTolerated], []),
        new(4, 1, "2026-03-09", 160, "mg", DoseRole.Full, "160 mg (C2-C4)", null, [UntilTolerated], []),
        new(4, 8, "2026-03-16", 160, "mg", DoseRole.Full, "160 mg (C2-C4)", null, [UntilTolerated], []),
        new(4, 15, "2026-03-23", 160, "mg", DoseRole.Full, "160 mg (C2-C4)", null, [UntilTolerated], []),
        new(5, 1, "2026-04-06", 320, "mg", DoseRole.Full, "320 mg maintenance (every 2 weeks)", null, [UntilTolerated], []),
        new(6, 1, "2026-04-20", 320, "mg", DoseRole.Full, "320 mg maintenance (every 2 weeks)", null, [UntilTolerated], []),
        new(7, 1, "2026-05-04", 320, "mg", DoseRole.Full, "320 mg maintenance (every 2 weeks)", null, [UntilTolerated], []),
    ];

    [Fact]
    public void The_FL_calendar_is_the_split_step_up_then_80_mg_weekly_in_C2_C4_then_160_mg_every_2_weeks()
    {
        var plan = TreatmentPlanner.Plan(Odronextamab.FollicularLymphoma, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 7);

        CalendarAssert.Matches(FollicularLymphoma, plan);
    }

    [Fact]
    public void The_DLBCL_calendar_is_the_split_step_up_then_160_mg_weekly_in_C2_C4_then_320_mg_every_2_weeks()
    {
        var plan = TreatmentPlanner.Plan(Odronextamab.Dlbcl, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 7);

        CalendarAssert.Matches(Dlbcl, plan);
    }

    [Theory]
    [InlineData("odronextamab-fl")]
    [InlineData("odronextamab-dlbcl")]
    public void Maintenance_starts_14_days_after_C4D15(string id)
    {
        var plan = TreatmentPlanner.Plan(RegimenCatalogue.Find(id)!, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 6);

        var c4d15 = Assert.Single(plan.Doses, d => d.Cycle == 4 && d.Day == 15);
        var maintenance = plan.Doses.Where(d => d.Cycle >= Odronextamab.FirstMaintenanceCycle).ToList();
        Assert.Equal(c4d15.Date.AddDays(14), maintenance[0].Date);
        Assert.Equal(maintenance[0].Date.AddDays(14), maintenance[1].Date);
        Assert.Contains("⚠️ derived", maintenance[0].Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("odronextamab-fl")]
    [InlineData("odronextamab-dlbcl")]
    public void The_entries_are_EU_only_and_name_what_is_not_encoded(string id)
    {
        var regimen = RegimenCatalogue.Find(id);

        Assert.NotNull(regimen);
        Assert.Contains("EU only", regimen.Setting, StringComparison.Ordinal);
        Assert.Equal((RegimenStatus.Label, Route.Intravenous, (int?)null, (IReadOnlyList<DelayRule>?)null), (regimen.Status, regimen.Route, regimen.MaxCycles, regimen.DelayRules));
        Assert.Equal([21, 21, 21, 28, 14, 14], Enumerable.Range(1, 6).Select(regimen.LengthOf));
        Assert.Contains(regimen.NotEncoded!, t => t.StartsWith("Later: every 4 weeks", StringComparison.Ordinal) && t.Contains("not encoded", StringComparison.Ordinal));
        Assert.Contains(regimen.NotEncoded!, t => t.StartsWith("Dose modification and restart after a delay: not read", StringComparison.Ordinal));
    }
}
