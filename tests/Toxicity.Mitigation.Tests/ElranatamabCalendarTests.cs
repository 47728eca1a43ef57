using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// Elranatamab (CLINICAL-RULES.md §5.8): the generated calendars against the label schedule written out by hand (D1
/// 12 mg, D4 32 mg, D8 76 mg, then weekly; every 2 weeks on response), per label (the schedule rows are US: an EU or
/// Swiss calendar shows them with a warning, and its own premedication and monitoring rows), and the US restart table
/// at every edge, with the uncertain 12-week boundary. C1D1 2026-01-05.
/// </summary>
public sealed class ElranatamabCalendarTests
{
    private const string Sud1 = "12 mg (step-up dose 1)";
    private const string Sud2 = "32 mg (step-up dose 2)";
    private const string Treatment = "76 mg (treatment dose)";
    private const string Q2W = "76 mg (every 2 weeks)";

    // US (S-ELR-DC ⚠️; S-ELR-LEXI ⚠️): ~1 h before step-up doses 1 and 2 and the first treatment dose.
    private static readonly ExpectedPremedication[] FirstThree =
    [
        new("acetaminophen (or equivalent)", "650 mg", "orally", "about 1 hour before the dose"),
        new("dexamethasone (or equivalent)", "20 mg", "orally or IV", "about 1 hour before the dose"),
        new("diphenhydramine (or equivalent)", "25 mg", "orally", "about 1 hour before the dose"),
    ];

    // CRS table grades 1-2 (S-ELR-PFZ ⚠️): pretreatment before the next dose.
    private static readonly ExpectedPremedication[] AfterCrs =
    [
        new("acetaminophen (or equivalent)", "650 mg", "orally", "about 1 hour before the dose", "CRS grade 1 or 2 with the previous dose"),
        new("dexamethasone (or equivalent)", "20 mg", "orally or IV", "about 1 hour before the dose", "CRS grade 1 or 2 with the previous dose"),
        new("diphenhydramine (or equivalent)", "25 mg", "orally", "about 1 hour before the dose", "CRS grade 1 or 2 with the previous dose"),
    ];

    // EU/CH: "prior to the first three doses" (S-ELR-EU ⚠️; S-ELR-CH ⚠️), drugs not read.
    private static readonly ExpectedPremedication[] EuSwissFirstThree = [new("premedication (drugs per label)", null, null, "before the dose", NotEncoded: true)];

    private static readonly ExpectedPremedication[] OtherLabel = [new("premedication (per label)", null, null, "per label", NotEncoded: true)];

    private const string Us48h = "Hospitalise for 48 hours after this dose (US PI 2023";
    private const string Us24h = "Hospitalise for 24 hours after this dose (US PI 2023";
    private const string UsCurrent = "Hospitalisation per the current US label (2025 revision, with the every-4-weeks schedule): not encoded: consult";
    private const string UsAfterCrs2 = "\"Monitor patients daily for 48 hours following the next dose\"; consider hospitalisation. [if CRS grade 2 with the previous dose]";
    private const string Eu48h = "Monitor for 48 hours after this step-up dose";
    private const string Swiss = "Hospitalisation and monitoring under the Swiss Fachinformation: not read: not encoded: consult";
    private const string Tocilizumab = "Tocilizumab availability: not encoded: consult the label";
    private const string OtherLabelMonitoring = "the rows of this dose are read in the US label only, not encoded for this site's jurisdiction";

    private static string StandIn(string site) => $"this dose row is read in the US label only (CLINICAL-RULES.md §5.13): confirm it against the {site} label";

    private static readonly ExpectedDay[] Us =
    [
        new(1, "2026-01-05", 12, "mg", DoseRole.StepUp, Sud1, null, FirstThree, [Us48h, UsCurrent, Tocilizumab]),
        new(4, "2026-01-08", 32, "mg", DoseRole.StepUp, Sud2, null, FirstThree, [Us24h, UsCurrent, UsAfterCrs2, Tocilizumab]),
        new(8, "2026-01-12", 76, "mg", DoseRole.Full, Treatment, null, FirstThree, [UsAfterCrs2, Tocilizumab]),
        new(15, "2026-01-19", 76, "mg", DoseRole.Full, Treatment, null, AfterCrs, [UsAfterCrs2]),
        new(22, "2026-01-26", 76, "mg", DoseRole.Full, Treatment, null, AfterCrs, [UsAfterCrs2]),
        new(29, "2026-02-02", 76, "mg", DoseRole.Full, Treatment, null, AfterCrs, [UsAfterCrs2]),
        new(36, "2026-02-09", 76, "mg", DoseRole.Full, Treatment, null, AfterCrs, [UsAfterCrs2]),
    ];

    private static readonly ExpectedDay[] Eu =
    [
        new(1, "2026-01-05", 12, "mg", DoseRole.StepUp, Sud1, null, EuSwissFirstThree, [Eu48h, Tocilizumab], StandIn("EU")),
        new(4, "2026-01-08", 32, "mg", DoseRole.StepUp, Sud2, null, EuSwissFirstThree, [Eu48h, Tocilizumab], StandIn("EU")),
        new(8, "2026-01-12", 76, "mg", DoseRole.Full, Treatment, null, EuSwissFirstThree, [Tocilizumab], StandIn("EU")),
        new(15, "2026-01-19", 76, "mg", DoseRole.Full, Treatment, null, OtherLabel, [OtherLabelMonitoring], StandIn("EU")),
    ];

    private static readonly ExpectedDay[] Ch =
    [
        new(1, "2026-01-05", 12, "mg", DoseRole.StepUp, Sud1, null, EuSwissFirstThree, [Swiss, Tocilizumab], StandIn("CH")),
        new(4, "2026-01-08", 32, "mg", DoseRole.StepUp, Sud2, null, EuSwissFirstThree, [Swiss, Tocilizumab], StandIn("CH")),
        new(8, "2026-01-12", 76, "mg", DoseRole.Full, Treatment, null, EuSwissFirstThree, [Tocilizumab], StandIn("CH")),
        new(15, "2026-01-19", 76, "mg", DoseRole.Full, Treatment, null, OtherLabel, [OtherLabelMonitoring], StandIn("CH")),
    ];

    private static readonly ExpectedDay[] EveryTwoWeeksUs =
    [
        new(1, "2026-01-05", 76, "mg", DoseRole.Full, Q2W, null, AfterCrs, [UsAfterCrs2]),
        new(15, "2026-01-19", 76, "mg", DoseRole.Full, Q2W, null, AfterCrs, [UsAfterCrs2]),
        new(29, "2026-02-02", 76, "mg", DoseRole.Full, Q2W, null, AfterCrs, [UsAfterCrs2]),
    ];

    private static readonly ExpectedDay[] EveryTwoWeeksEu =
    [
        new(1, "2026-01-05", 76, "mg", DoseRole.Full, Q2W, null, OtherLabel, [OtherLabelMonitoring], StandIn("EU")),
        new(15, "2026-01-19", 76, "mg", DoseRole.Full, Q2W, null, OtherLabel, [OtherLabelMonitoring], StandIn("EU")),
    ];

    [Fact]
    public void The_US_calendar_is_12_mg_D1_32_mg_D4_76_mg_D8_then_weekly() =>
        CalendarAssert.MatchesByDay(Us, TreatmentPlanner.Plan(Elranatamab.Weekly, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 6, Jurisdiction.Us));

    [Fact]
    public void An_EU_calendar_shows_the_US_days_with_a_warning_and_the_EU_premedication_and_48_h_monitoring_rows() =>
        CalendarAssert.MatchesByDay(Eu, TreatmentPlanner.Plan(Elranatamab.Weekly, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 3, Jurisdiction.Eu));

    [Fact]
    public void A_Swiss_calendar_shows_the_US_days_with_a_warning_the_Swiss_premedication_row_and_a_consult_item_for_monitoring() =>
        CalendarAssert.MatchesByDay(Ch, TreatmentPlanner.Plan(Elranatamab.Weekly, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 3, Jurisdiction.Ch));

    [Fact]
    public void The_every_2_weeks_calendar_is_76_mg_every_14_days()
    {
        CalendarAssert.MatchesByDay(EveryTwoWeeksUs,
            TreatmentPlanner.Plan(Elranatamab.EveryTwoWeeks, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 3, Jurisdiction.Us));
        CalendarAssert.MatchesByDay(EveryTwoWeeksEu,
            TreatmentPlanner.Plan(Elranatamab.EveryTwoWeeks, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 2, Jurisdiction.Eu));
        Assert.False(TreatmentPlanner.OnLabelAt(Elranatamab.EveryTwoWeeks, Jurisdiction.Ch));
    }

    [Fact]
    public void The_entries_have_no_label_cycles_are_open_ended_and_name_the_every_4_weeks_switch_as_not_encoded()
    {
        Assert.Equal(
            [("elranatamab", Jurisdiction.Us | Jurisdiction.Eu | Jurisdiction.Ch), ("elranatamab-q2w", Jurisdiction.Us | Jurisdiction.Eu)],
            Elranatamab.Regimens.Select(r => (r.Id, r.Jurisdiction)));
        Assert.All(Elranatamab.Regimens, r =>
            Assert.Equal((RegimenStatus.Label, Route.Subcutaneous, (int?)null, false), (r.Status, r.Route, r.MaxCycles, r.LabelCycles)));
        Assert.Contains(Elranatamab.EveryTwoWeeks.NotEncoded!, t => t.StartsWith("Every 4 weeks", StringComparison.Ordinal)
            && t.Contains("the every-4-weeks dose is not stated", StringComparison.Ordinal) && t.Contains("consult", StringComparison.Ordinal));
        Assert.Contains(Elranatamab.Weekly.NotEncoded!, t => t.Contains("exactly 12 weeks", StringComparison.Ordinal));
    }

    // US restart table (S-ELR-DC ⚠️; S-ELR-DAV ⚠️), at every edge. Exactly 12 weeks after a 76 mg dose matches no row:
    // the boundary is uncertain (Davis prints "<"; CLINICAL-RULES.md §5.8: consult the label).
    [Theory]
    [InlineData("elranatamab", Sud1, 1, 0, "≤ 14 days")]
    [InlineData("elranatamab", Sud1, 14, 0, "≤ 14 days")]
    [InlineData("elranatamab", Sud1, 14, 1, "> 14 days")]
    [InlineData("elranatamab", Sud2, 14, 0, "≤ 14 days")]
    [InlineData("elranatamab", Sud2, 14, 1, "> 2 weeks to ≤ 4 weeks")]
    [InlineData("elranatamab", Sud2, 28, 0, "> 2 weeks to ≤ 4 weeks")]
    [InlineData("elranatamab", Sud2, 28, 1, "> 28 days")]
    [InlineData("elranatamab", Treatment, 7, 0, "≤ 42 days")]
    [InlineData("elranatamab", Treatment, 42, 0, "≤ 42 days")]
    [InlineData("elranatamab", Treatment, 42, 1, TwelveWeekRow)]
    [InlineData("elranatamab", Treatment, 83, 1439, TwelveWeekRow)]
    [InlineData("elranatamab", Treatment, 84, 0, null)]
    [InlineData("elranatamab", Treatment, 84, 1, "> 12 weeks")]
    [InlineData("elranatamab-q2w", Q2W, 14, 0, "≤ 42 days")]
    [InlineData("elranatamab-q2w", Q2W, 42, 0, "≤ 42 days")]
    [InlineData("elranatamab-q2w", Q2W, 42, 1, TwelveWeekRow)]
    [InlineData("elranatamab-q2w", Q2W, 83, 1439, TwelveWeekRow)]
    [InlineData("elranatamab-q2w", Q2W, 84, 0, null)]
    [InlineData("elranatamab-q2w", Q2W, 84, 1, "> 12 weeks")]
    public void A_delay_falls_in_exactly_the_restart_row_the_label_gives(string id, string lastDose, int days, int minutes, string? window) =>
        DelayEdgeAssert.Covers(id, lastDose, days, minutes, window);

    private const string TwelveWeekRow = "> 6 weeks to < 12 weeks (Davis prints \"<\"; the boundary at 12 weeks is uncertain)";

    [Fact]
    public void Exactly_12_weeks_after_a_76_mg_dose_sends_the_clinician_to_the_label_and_says_why()
    {
        var item = Assert.Single(MitigationAdvisor.OnDoseDelayed(new PatientContext(Elranatamab.Weekly, 70, 1.8, 55), Treatment, TimeSpan.FromDays(84)));

        Assert.Equal("elranatamab.delay.not-encoded", item.Code);
        Assert.StartsWith("Not encoded: consult the elranatamab (Elrexfio) label's restart table (US). After a last dose of 76 mg given exactly 12 weeks "
            + "earlier the boundary between restarting at step-up dose 2 and at step-up dose 1 is uncertain", item.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_restart_rows_say_what_they_give_and_when_the_plan_resumes()
    {
        Assert.Equal(
            [
                $"{Sud1} | ≤ 14 days | {Sud2} | plan spacing",
                $"{Sud1} | > 14 days | {Sud1} | plan spacing",
                $"{Sud2} | ≤ 14 days | next planned dose | plan spacing",
                $"{Sud2} | > 2 weeks to ≤ 4 weeks | {Sud2} | 7 days",
                $"{Sud2} | > 28 days | {Sud1} | plan spacing",
                $"{Treatment} | ≤ 42 days | next planned dose | plan spacing",
                $"{Treatment} | {TwelveWeekRow} | {Sud2} | 7 days",
                $"{Treatment} | > 12 weeks | {Sud1} | plan spacing",
            ],
            Elranatamab.Weekly.DelayRules!.Select(r => $"{r.LastDoseLabel} | {r.Window} | {(r.Give is { } give ? string.Join(", ", give) : "next planned dose")} | "
                + (r.ResumeAfter is { } after ? $"{after.TotalDays} days" : "plan spacing")));
        Assert.Contains("4 days later", Elranatamab.Weekly.DelayRules![0].Action, StringComparison.Ordinal);
        Assert.All(Elranatamab.Weekly.DelayRules!, r => Assert.Equal(Jurisdiction.Us, r.Jurisdiction));
        Assert.All(Elranatamab.EveryTwoWeeks.DelayRules!, r => Assert.Equal(((IReadOnlyList<string>?)null, (TimeSpan?)null), (r.Give, r.ResumeAfter)));
    }
}
