using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// Epcoritamab (CLINICAL-RULES.md §5.4): the generated calendars (DLBCL 2-step, FL 3-step) against the label schedule
/// written out by hand. 28-day cycles from C1D1 2026-01-05; SC; no dose infusion time.
/// </summary>
public sealed class EpcoritamabCalendarTests
{
    // "Premedicate before each dose in Cycle 1" ✅; drugs and doses ❌: not-encoded text only.
    private static readonly ExpectedPremedication[] Cycle1 =
    [
        new("premedication (drugs per label)", null, null, "before the dose", NotEncoded: true),
        new("post-medication: corticosteroid (days and dose per label)", null, null, "on the days after the dose (not read ❌)", NotEncoded: true),
    ];

    // Cycle 2+: after grade 2 or 3 CRS with the previous dose (⚠️); drugs and doses ❌.
    private static readonly ExpectedPremedication[] AfterGrade2Or3Crs =
    [
        new("premedication (drugs per label)", null, null, "before the dose", "grade 2 or 3 CRS with the previous dose", NotEncoded: true),
    ];

    private const string Grade2Crs = "monitor more frequently and consider hospitalisation. [if CRS grade 2 with the previous dose]";
    private const string Hospitalise24h = "Hospitalise for 24 h after this dose (48 mg, C1D15)";
    private const string AssessC1D22 = "Assess whether hospitalisation or outpatient monitoring is appropriate";
    // EU (Tepkinly, §5.13 audit R1): tocilizumab available before each Cycle 1 dose.
    private const string Tocilizumab = "At least 1 dose of tocilizumab for use in the event of CRS available before epcoritamab administration in Cycle 1";
    private const string FlNotRequired = "Hospitalisation is not required (3L+ FL)";

    private static readonly ExpectedDose[] Dlbcl =
    [
        new(1, 1, "2026-01-05", 0.16, "mg", DoseRole.StepUp, "0.16 mg (C1D1)", null, Cycle1, [Tocilizumab]),
        new(1, 8, "2026-01-12", 0.8, "mg", DoseRole.StepUp, "0.8 mg (C1D8)", null, Cycle1, [Grade2Crs, Tocilizumab]),
        new(1, 15, "2026-01-19", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, Cycle1, [Hospitalise24h, Grade2Crs, Tocilizumab]),
        new(1, 22, "2026-01-26", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, Cycle1, [AssessC1D22, Grade2Crs, Tocilizumab]),
        new(2, 1, "2026-02-02", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(2, 8, "2026-02-09", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(2, 15, "2026-02-16", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(2, 22, "2026-02-23", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(3, 1, "2026-03-02", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(3, 8, "2026-03-09", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(3, 15, "2026-03-16", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(3, 22, "2026-03-23", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(4, 1, "2026-03-30", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(4, 15, "2026-04-13", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(5, 1, "2026-04-27", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(5, 15, "2026-05-11", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(6, 1, "2026-05-25", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(6, 15, "2026-06-08", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(7, 1, "2026-06-22", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(7, 15, "2026-07-06", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(8, 1, "2026-07-20", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(8, 15, "2026-08-03", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(9, 1, "2026-08-17", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(9, 15, "2026-08-31", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(10, 1, "2026-09-14", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(11, 1, "2026-10-12", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
    ];

    private static readonly ExpectedDose[] FollicularLymphoma =
    [
        new(1, 1, "2026-01-05", 0.16, "mg", DoseRole.StepUp, "0.16 mg (C1D1)", null, Cycle1, [FlNotRequired, Tocilizumab]),
        new(1, 8, "2026-01-12", 0.8, "mg", DoseRole.StepUp, "0.8 mg (C1D8)", null, Cycle1, [FlNotRequired, Grade2Crs, Tocilizumab]),
        new(1, 15, "2026-01-19", 3, "mg", DoseRole.StepUp, "3 mg (C1D15)", null, Cycle1, [FlNotRequired, Grade2Crs, Tocilizumab]),
        new(1, 22, "2026-01-26", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, Cycle1, [FlNotRequired, Grade2Crs, Tocilizumab]),
        new(2, 1, "2026-02-02", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(2, 8, "2026-02-09", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(2, 15, "2026-02-16", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(2, 22, "2026-02-23", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(3, 1, "2026-03-02", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(3, 8, "2026-03-09", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(3, 15, "2026-03-16", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(3, 22, "2026-03-23", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(4, 1, "2026-03-30", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(4, 15, "2026-04-13", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(5, 1, "2026-04-27", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(5, 15, "2026-05-11", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(6, 1, "2026-05-25", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(6, 15, "2026-06-08", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(7, 1, "2026-06-22", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(7, 15, "2026-07-06", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(8, 1, "2026-07-20", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(8, 15, "2026-08-03", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(9, 1, "2026-08-17", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(9, 15, "2026-08-31", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(10, 1, "2026-09-14", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
        new(11, 1, "2026-10-12", 48, "mg", DoseRole.Full, "48 mg (full dose)", null, AfterGrade2Or3Crs, [Grade2Crs]),
    ];

    [Fact]
    public void The_DLBCL_calendar_is_the_2_step_label_schedule_weekly_then_every_2_weeks_then_every_4_weeks()
    {
        var plan = TreatmentPlanner.Plan(Epcoritamab.Dlbcl, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 11);

        CalendarAssert.Matches(Dlbcl, plan);
    }

    [Fact]
    public void The_FL_calendar_is_the_3_step_label_schedule_weekly_then_every_2_weeks_then_every_4_weeks()
    {
        var plan = TreatmentPlanner.Plan(Epcoritamab.FollicularLymphoma, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 11);

        CalendarAssert.Matches(FollicularLymphoma, plan);
    }

    [Theory]
    [InlineData("epcoritamab-dlbcl-2-step")]
    [InlineData("epcoritamab-fl-3-step")]
    public void Both_entries_are_SC_label_regimens_of_28_day_cycles_until_progression(string id)
    {
        var regimen = RegimenCatalogue.Find(id);

        Assert.NotNull(regimen);
        Assert.Equal((RegimenStatus.Label, Route.Subcutaneous, (int?)null), (regimen.Status, regimen.Route, regimen.MaxCycles));
        Assert.All(Enumerable.Range(1, 30), c => Assert.Equal(28, regimen.LengthOf(c)));
        Assert.Contains("until progression", regimen.Source, StringComparison.Ordinal);
        Assert.Contains(regimen.NotEncoded!, t => t.Contains("EPKINLY PI section 2.6", StringComparison.Ordinal));
    }

    [Fact]
    public void The_DLBCL_restart_rows_are_the_label_rows()
    {
        Assert.Equal(
            [
                ("0.16 mg (C1D1)", (TimeSpan?)TimeSpan.FromDays(8), (TimeSpan?)null, true),
                ("0.8 mg (C1D8)", null, TimeSpan.FromDays(14), false),
                ("0.8 mg (C1D8)", TimeSpan.FromDays(14), null, true),
                ("48 mg (full dose)", null, TimeSpan.FromDays(42), false),
                ("48 mg (full dose)", TimeSpan.FromDays(42), null, true),
            ],
            Epcoritamab.Dlbcl.DelayRules!.Select(r => (r.LastDoseLabel, r.MoreThan, r.AtMost, r.RepeatsStepUp)));
        Assert.All(Epcoritamab.Dlbcl.DelayRules!.Where(r => r.RepeatsStepUp), r =>
            Assert.StartsWith("Repeat the Cycle 1 schedule from step-up dose 1: 0.16 mg, then 0.8 mg the following week, then two weekly doses of 48 mg", r.Action, StringComparison.Ordinal));
        Assert.All(Epcoritamab.Dlbcl.DelayRules!.Where(r => !r.RepeatsStepUp), r =>
            Assert.Equal("Give 48 mg, then resume the planned schedule.", r.Action));
    }

    [Fact]
    public void The_FL_restart_rows_are_not_encoded_but_tell_the_clinician_to_consult_the_label()
    {
        Assert.Null(Epcoritamab.FollicularLymphoma.DelayRules);
        Assert.Contains(Epcoritamab.FollicularLymphoma.NotEncoded!, t =>
            t.StartsWith("Restart after dosage delay (FL, 3-step)", StringComparison.Ordinal) && t.Contains("consult the EPKINLY label restart table", StringComparison.Ordinal));
    }
}
