using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>What the clock's review of the next dose advises (issue 15): as planned, repeat the step-up, do not give, with the dose's premedication.</summary>
public sealed class NextDoseAdviceTests
{
    private static DateTimeOffset At(int month, int day, int hour = 10) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    private static (DoseCourse Course, CourseCalendar Calendar, PatientContext Patient) Mosunetuzumab2MgGiven(Jurisdiction site = Jurisdiction.Us)
    {
        var calendar = new CourseCalendar(Regimens.Mosunetuzumab.Label, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, site);
        var course = DoseCourse.Start(calendar).Given(calendar, At(1, 5), 1, Guid.NewGuid()).Course.Given(calendar, At(1, 12), 2, Guid.NewGuid()).Course;
        return (course, calendar, new PatientContext(Regimens.Mosunetuzumab.Label, 70, 1.8, 55, site));
    }

    [Fact]
    public void On_its_due_day_the_next_dose_is_given_as_planned_with_its_premedication()
    {
        var (course, calendar, patient) = Mosunetuzumab2MgGiven();
        var reviewed = course.Reviewed(calendar, At(1, 19, 0));

        var advice = NextDoseAdvisor.OnReviewed(patient, DoseCourse.DueKind, reviewed.NextAt(calendar, At(1, 19, 0))!, CurrentGrades.None, At(1, 19, 0));

        Patients.AssertWellFormed(advice);
        Assert.Equal(["mosunetuzumab.next-dose.as-planned", "mosunetuzumab.next-dose.premedication"], advice.Select(a => a.Code));
        Assert.Contains("next dose 60 mg (C1D15) (60 mg; cycle 1 day 15), due today (2026-01-19)", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("the last dose, 2 mg (C1D8), was given 6 days 14 h ago: give as planned.", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("dexamethasone 20 mg IV, completed ≥ 1 h before the dose; or methylprednisolone 80 mg", advice[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Past_2_weeks_after_the_2_mg_dose_the_advice_is_to_repeat_the_step_up_with_the_premedication_note()
    {
        var (course, calendar, patient) = Mosunetuzumab2MgGiven();
        var at = At(1, 26) + TimeSpan.FromTicks(1);
        var reviewed = course.Reviewed(calendar, at);

        var advice = NextDoseAdvisor.OnReviewed(patient, DoseCourse.RestartKind, reviewed.NextAt(calendar, at)!, CurrentGrades.None, at);

        Patients.AssertWellFormed(advice);
        Assert.Equal(["mosunetuzumab.next-dose.repeat-step-up", MosunetuzumabRulesCode, "mosunetuzumab.next-dose.premedication"], advice.Select(a => a.Code));
        Assert.Contains("repeat the step-up. Repeat 2 mg (C1D8), then 60 mg (C1D15)", advice[0].Text, StringComparison.Ordinal);
        Assert.Contains("Give 2 mg (C1D8) next, not the dose planned before the delay", advice[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("CLINICAL-RULES.md §5.3 restart table", advice[0].Source, StringComparison.Ordinal);
        Assert.Equal(Jurisdiction.Us, advice[0].Jurisdiction);
    }

    private const string MosunetuzumabRulesCode = "mosunetuzumab.delay.premedicate-repeated-step-up";

    [Fact]
    public void At_an_EU_site_a_late_dose_sends_to_the_label_instead_of_the_US_restart_rows()
    {
        var (course, calendar, patient) = Mosunetuzumab2MgGiven(Jurisdiction.Eu);
        var at = At(1, 28);

        var advice = NextDoseAdvisor.OnReviewed(patient, DoseCourse.LateKind, course.Reviewed(calendar, at).NextAt(calendar, at)!, CurrentGrades.None, at);

        var status = Assert.Single(advice);
        Assert.Equal("mosunetuzumab.next-dose.not-encoded", status.Code);
        Assert.Contains("Not encoded: consult the mosunetuzumab (Lunsumio) label's restart/delay table", status.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Repeat", status.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void While_CRS_or_ICANS_is_present_the_next_dose_is_not_to_be_given()
    {
        var (course, calendar, patient) = Mosunetuzumab2MgGiven();
        var at = At(1, 19, 0);

        var advice = NextDoseAdvisor.OnReviewed(patient, DoseCourse.DueKind, course.NextAt(calendar, at)!, new CurrentGrades(2, 1), at);

        Patients.AssertWellFormed(advice);
        var crs = Assert.Single(advice, a => a.Code == "mosunetuzumab.next-dose.withhold-crs");
        Assert.Contains("CRS grade 2 is present: do not give the next dose", crs.Text, StringComparison.Ordinal);
        Assert.StartsWith("CLINICAL-RULES.md §4.1", crs.Source, StringComparison.Ordinal);
        Assert.Contains(advice, a => a.Code == "mosunetuzumab.next-dose.withhold-icans" && a.Text.Contains("ICANS grade 1 is present", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(71, true)]
    [InlineData(72, false)]
    public void Glofitamab_CRS_must_have_resolved_for_72_h_before_the_next_dose(int hoursSinceResolved, bool withheld)
    {
        var regimen = Regimens.Glofitamab.Regimens[0];
        var calendar = new CourseCalendar(regimen, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, Jurisdiction.Us);
        var course = DoseCourse.Start(calendar).Given(calendar, At(1, 12), 2.5, Guid.NewGuid()).Course;
        var at = At(1, 19, 0);
        var grades = new CurrentGrades(0, 0, CrsResolvedAt: at.AddHours(-hoursSinceResolved));

        var advice = NextDoseAdvisor.OnReviewed(new PatientContext(regimen, 70, 1.8, 55, Jurisdiction.Us), DoseCourse.DueKind, course.NextAt(calendar, at)!, grades, at);

        Assert.Equal(withheld, advice.Any(a => a.Code == "glofitamab.next-dose.crs-resolved-under-72h"));
        if (withheld)
        {
            Patients.AssertWellFormed(advice);
            Assert.Contains($"do not give it before {at.AddHours(1):yyyy-MM-dd HH:mm} UTC", advice.Single(a => a.Code == "glofitamab.next-dose.crs-resolved-under-72h").Text,
                StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_late_dose_whose_last_dose_has_no_restart_row_sends_to_the_label()
    {
        // Mosunetuzumab after 60 mg (C2D1): the restart rows were not read (❌).
        var calendar = new CourseCalendar(Regimens.Mosunetuzumab.Label, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, Jurisdiction.Us);
        var course = DoseCourse.Start(calendar);
        foreach (var (day, mg) in new[] { (5, 1.0), (12, 2.0), (19, 60.0), (26, 60.0) })
        {
            course = course.Given(calendar, At(1, day), mg, Guid.NewGuid()).Course;
        }

        var at = At(2, 18);
        var advice = NextDoseAdvisor.OnReviewed(new PatientContext(Regimens.Mosunetuzumab.Label, 70, 1.8, 55, Jurisdiction.Us), DoseCourse.LateKind,
            course.NextAt(calendar, at)!, CurrentGrades.None, at);

        var status = Assert.Single(advice);
        Assert.Equal("mosunetuzumab.next-dose.not-encoded", status.Code);
        Assert.Contains("late by 2 days", status.Text, StringComparison.Ordinal);
        Assert.Contains("the catalogue has no restart row for this last dose", status.Text, StringComparison.Ordinal);
    }
}
