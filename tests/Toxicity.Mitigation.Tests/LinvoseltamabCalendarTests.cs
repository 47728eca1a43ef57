using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// Linvoseltamab (CLINICAL-RULES.md §5.10): the generated calendar against the label schedule written out by hand (5 mg
/// week 1, 25 mg week 2, 200 mg week 3, 200 mg weekly in weeks 4-13, every 2 weeks from week 14), with the US and the EU
/// premedication and monitoring rows. C1D1 2026-01-05.
/// </summary>
public sealed class LinvoseltamabCalendarTests
{
    private const string Sud1 = "5 mg (step-up dose 1)";
    private const string Sud2 = "25 mg (step-up dose 2)";
    private const string FirstFull = "200 mg (first full dose)";
    private const string Weekly = "200 mg (once weekly, weeks 4-13)";
    private const string Q2W = "200 mg (every 2 weeks, from week 14)";
    private const string FourHours = "IV infusion over \"4 hours\" (S-LIN-DC ⚠️), diluted in 0.9% sodium chloride";
    private const string Infusion = "IV infusion, diluted in 0.9% sodium chloride; infusion duration: not encoded: consult the label (Table 1)";

    // US premedication ❌.
    private static readonly ExpectedPremedication[] UsPremedication = [new("premedication (US label)", null, null, "before the infusion", NotEncoded: true)];

    // EU (S-LIN-EU ⚠️): step-up doses and the first 200 mg dose.
    private static readonly ExpectedPremedication[] EuStepUp =
    [
        new("dexamethasone", "40 mg", "IV", "1 to 3 hours before the infusion"),
        new("antihistamine (e.g. diphenhydramine)", "25 mg", "oral or IV", "30 to 60 minutes before the infusion"),
        new("paracetamol (e.g.)", "500-1000 mg", "oral", "30 to 60 minutes before the infusion"),
    ];

    // EU, second 200 mg dose: dexamethasone 40 mg after CRS/IRR with the prior infusion, 10 mg if none.
    private static readonly ExpectedPremedication[] EuSecondFull =
    [
        new("dexamethasone", "40 mg", "IV", "1 to 3 hours before the infusion", "CRS/IRR with the prior infusion"),
        new("dexamethasone", "10 mg", "IV", "1 to 3 hours before the infusion", "no CRS/IRR with the prior infusion"),
        new("antihistamine (e.g. diphenhydramine)", "25 mg", "oral or IV", "30 to 60 minutes before the infusion"),
        new("paracetamol (e.g.)", "500-1000 mg", "oral", "30 to 60 minutes before the infusion"),
    ];

    // EU, later 200 mg doses: repeat after CRS/IRR (row truncated: not encoded).
    private static readonly ExpectedPremedication[] EuLater =
        [new("premedication (drugs per label)", null, null, "before the infusion", "until two full doses are tolerated without CRS and/or IRR", NotEncoded: true)];

    private const string UsFirst = "Hospitalise for 24 hours after this dose (\"hospitalized for 24 hours after … the first step-up dose\")";
    private const string UsSecond = "Hospitalise for 24 hours after this dose (\"hospitalized for 24 hours after … the second step-up dose\")";
    private const string Tocilizumab = "Tocilizumab availability: not encoded: consult the label";
    private const string UsOtherLabel = "the rows of this dose are read in the EU label only, not encoded for this site's jurisdiction (US)";
    private const string EuCaregiver = "\"Remain with a caregiver within close proximity … for 24 hours after the end of infusion\"";
    private const string EuLaterMonitoring = "Monitoring under the EU SmPC after step-up dose 2 and later doses: its conditions were not read: not encoded";

    private static ExpectedDay Us200(int day, string date, string label) =>
        new(day, date, 200, "mg", DoseRole.Full, label, Infusion, UsPremedication, [UsOtherLabel]);

    private static readonly ExpectedDay[] Us =
    [
        new(1, "2026-01-05", 5, "mg", DoseRole.StepUp, Sud1, FourHours, UsPremedication, [UsFirst, Tocilizumab]),
        new(8, "2026-01-12", 25, "mg", DoseRole.StepUp, Sud2, Infusion, UsPremedication, [UsSecond, Tocilizumab]),
        new(15, "2026-01-19", 200, "mg", DoseRole.Full, FirstFull, Infusion, UsPremedication, [Tocilizumab]),
        Us200(22, "2026-01-26", Weekly),
        Us200(29, "2026-02-02", Weekly),
        Us200(36, "2026-02-09", Weekly),
        Us200(43, "2026-02-16", Weekly),
        Us200(50, "2026-02-23", Weekly),
        Us200(57, "2026-03-02", Weekly),
        Us200(64, "2026-03-09", Weekly),
        Us200(71, "2026-03-16", Weekly),
        Us200(78, "2026-03-23", Weekly),
        Us200(85, "2026-03-30", Weekly),
        Us200(92, "2026-04-06", Q2W),
        Us200(106, "2026-04-20", Q2W),
        Us200(120, "2026-05-04", Q2W),
    ];

    private static ExpectedDay Eu200(int day, string date, string label) =>
        new(day, date, 200, "mg", DoseRole.Full, label, Infusion, EuLater, [EuLaterMonitoring]);

    private static readonly ExpectedDay[] Eu =
    [
        new(1, "2026-01-05", 5, "mg", DoseRole.StepUp, Sud1, FourHours, EuStepUp, [EuCaregiver, Tocilizumab]),
        new(8, "2026-01-12", 25, "mg", DoseRole.StepUp, Sud2, Infusion, EuStepUp, [EuLaterMonitoring, Tocilizumab]),
        new(15, "2026-01-19", 200, "mg", DoseRole.Full, FirstFull, Infusion, EuStepUp, [EuLaterMonitoring, Tocilizumab]),
        new(22, "2026-01-26", 200, "mg", DoseRole.Full, Weekly, Infusion, EuSecondFull, [EuLaterMonitoring]),
        Eu200(29, "2026-02-02", Weekly),
        Eu200(36, "2026-02-09", Weekly),
        Eu200(43, "2026-02-16", Weekly),
        Eu200(50, "2026-02-23", Weekly),
        Eu200(57, "2026-03-02", Weekly),
        Eu200(64, "2026-03-09", Weekly),
        Eu200(71, "2026-03-16", Weekly),
        Eu200(78, "2026-03-23", Weekly),
        Eu200(85, "2026-03-30", Weekly),
        Eu200(92, "2026-04-06", Q2W),
        Eu200(106, "2026-04-20", Q2W),
        Eu200(120, "2026-05-04", Q2W),
    ];

    [Fact]
    public void The_US_calendar_is_5_25_200_mg_weekly_then_weekly_to_week_13_then_every_2_weeks() =>
        CalendarAssert.MatchesByDay(Us, TreatmentPlanner.Plan(Linvoseltamab.Label, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 16, Jurisdiction.Us));

    [Fact]
    public void The_EU_calendar_has_the_same_days_and_the_EU_premedication_by_dose() =>
        CalendarAssert.MatchesByDay(Eu, TreatmentPlanner.Plan(Linvoseltamab.Label, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 16, Jurisdiction.Eu));

    [Fact]
    public void The_entry_is_US_and_EU_open_ended_without_label_cycles_and_names_the_every_4_weeks_switch_and_the_restart_table_as_not_encoded()
    {
        var regimen = RegimenCatalogue.Find("linvoseltamab");

        Assert.NotNull(regimen);
        Assert.Equal((RegimenStatus.Label, Route.Intravenous, (int?)null, false, Jurisdiction.Us | Jurisdiction.Eu),
            (regimen.Status, regimen.Route, regimen.MaxCycles, regimen.LabelCycles, regimen.Jurisdiction));
        Assert.Equal([7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 14, 14], Enumerable.Range(1, 15).Select(regimen.LengthOf));
        Assert.Null(regimen.DelayRules);
        Assert.Contains(regimen.NotEncoded!, t => t.StartsWith("Every 4 weeks (US)", StringComparison.Ordinal)
            && t.Contains("\"achieved and maintained VGPR or better at or after Week 24 and received at least 17 doses of 200 mg\"", StringComparison.Ordinal)
            && t.Contains("not encoded: consult", StringComparison.Ordinal));
        Assert.Contains(regimen.NotEncoded!, t => t.StartsWith("Restart after a delay: not read", StringComparison.Ordinal));
        Assert.False(TreatmentPlanner.OnLabelAt(regimen, Jurisdiction.Ch));
    }

    [Fact]
    public void A_delayed_dose_sends_the_clinician_to_the_restart_table()
    {
        var item = Assert.Single(MitigationAdvisor.OnDoseDelayed(new PatientContext(Linvoseltamab.Label, 70, 1.8, 55), Weekly, TimeSpan.FromDays(20)));

        Assert.Equal("linvoseltamab.delay.not-encoded", item.Code);
        Assert.StartsWith("Not encoded: consult the linvoseltamab (Lynozyfic) label's restart-after-delay table (not read).", item.Text, StringComparison.Ordinal);
    }
}
