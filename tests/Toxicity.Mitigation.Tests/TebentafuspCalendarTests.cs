using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// Tebentafusp (CLINICAL-RULES.md §5.12): the generated calendar against the label schedule written out by hand (20 mcg
/// D1, 30 mcg D8, 68 mcg D15, then 68 mcg weekly), with the US monitoring of infusions 1-3 and later doses, per label.
/// C1D1 2026-01-05.
/// </summary>
public sealed class TebentafuspCalendarTests
{
    private const string Infusion = "IV over 15-20 minutes";
    private const string Weekly = "68 mcg (once weekly)";

    private static readonly ExpectedPremedication Routine = new("routine premedication (per label)", null, null, "before the infusion", NotEncoded: true);

    // Moderate (persistent or recurrent) or Severe CRS with the previous dose (S-TEB-MPR ⚠️): "(eg, dexamethasone 4mg or equivalent)".
    private static readonly ExpectedPremedication Corticosteroid =
        new("corticosteroid (eg, dexamethasone, or equivalent)", "4 mg", null, "at least 30 minutes before the dose", "persistent (2-3 h) or recurrent, or Severe CRS");

    private const string FirstThree = "monitor \"for at least 16 hours after the infusion is complete\" (infusions 1-3)";
    private const string Ambulatory = "Ambulatory: monitor for \"a minimum of 30 minutes\" after the infusion. [if no \"Grade 2 or worse hypotension (requiring medical intervention) during or after the third infusion\"]";
    private const string AfterHypotension = "not encoded: consult the KIMMTRAK label. [if Grade 2 or worse hypotension (requiring medical intervention) during or after the third infusion]";
    private const string Access = "\"Immediate access to medications and resuscitative equipment\" to manage CRS.";
    private const string OtherLabel = "the rows of this dose are read in the US label only, not encoded for this site's jurisdiction (EU)";

    private static readonly ExpectedDay[] Us =
    [
        new(1, "2026-01-05", 20, "mcg", DoseRole.StepUp, "20 mcg (D1)", Infusion, [Routine], [FirstThree, Access]),
        new(8, "2026-01-12", 30, "mcg", DoseRole.StepUp, "30 mcg (D8)", Infusion, [Routine, Corticosteroid], [FirstThree, Access]),
        new(15, "2026-01-19", 68, "mcg", DoseRole.Full, Weekly, Infusion, [Routine, Corticosteroid], [FirstThree, Access]),
        new(22, "2026-01-26", 68, "mcg", DoseRole.Full, Weekly, Infusion, [Routine, Corticosteroid], [Ambulatory, AfterHypotension, Access]),
        new(29, "2026-02-02", 68, "mcg", DoseRole.Full, Weekly, Infusion, [Routine, Corticosteroid], [Ambulatory, AfterHypotension, Access]),
    ];

    private static readonly ExpectedDay[] Eu =
    [
        new(1, "2026-01-05", 20, "mcg", DoseRole.StepUp, "20 mcg (D1)", Infusion, [Routine], [OtherLabel]),
        new(8, "2026-01-12", 30, "mcg", DoseRole.StepUp, "30 mcg (D8)", Infusion, [Routine], [OtherLabel]),
        new(15, "2026-01-19", 68, "mcg", DoseRole.Full, Weekly, Infusion, [Routine], [OtherLabel]),
        new(22, "2026-01-26", 68, "mcg", DoseRole.Full, Weekly, Infusion, [Routine], [OtherLabel]),
    ];

    [Fact]
    public void The_US_calendar_is_20_30_68_mcg_weekly_then_68_mcg_weekly() =>
        CalendarAssert.MatchesByDay(Us, TreatmentPlanner.Plan(Tebentafusp.Label, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 5, Jurisdiction.Us));

    [Fact]
    public void The_EU_calendar_has_the_same_doses_and_a_consult_item_for_the_US_only_monitoring() =>
        CalendarAssert.MatchesByDay(Eu, TreatmentPlanner.Plan(Tebentafusp.Label, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 4, Jurisdiction.Eu));

    [Fact]
    public void The_entry_is_US_and_EU_open_ended_weekly_and_its_restart_rows_are_not_encoded()
    {
        var regimen = RegimenCatalogue.Find("tebentafusp");

        Assert.NotNull(regimen);
        Assert.Equal((RegimenStatus.Label, Route.Intravenous, (int?)null, false, Jurisdiction.Us | Jurisdiction.Eu),
            (regimen.Status, regimen.Route, regimen.MaxCycles, regimen.LabelCycles, regimen.Jurisdiction));
        Assert.Contains("HLA-A*02:01", regimen.Setting, StringComparison.Ordinal);
        Assert.Null(regimen.DelayRules);
        Assert.Contains(regimen.NotEncoded!, t => t.StartsWith("Restart after a delay: not read", StringComparison.Ordinal));
        var item = Assert.Single(MitigationAdvisor.OnDoseDelayed(new PatientContext(regimen, 70, 1.8, 55), Weekly, TimeSpan.FromDays(20)));
        Assert.Equal("tebentafusp.delay.not-encoded", item.Code);
    }
}
