using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// The course (issue 15, "advice before the dose"): the next dose re-anchored on the doses given, the reviews the clock
/// makes (due, late, each bound of the label's restart table), and the calendar moved by a restart row: mosunetuzumab
/// (§5.3 restart table), epcoritamab DLBCL (§5.4), glofitamab (§5.2). C1D1 is 2026-01-05.
/// </summary>
public sealed class DoseCourseTests
{
    private static readonly DateOnly C1D1 = CalendarAssert.Cycle1Day1;

    private static DateTimeOffset At(string day, int hour = 10) =>
        new(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    private static CourseCalendar Calendar(Regimen regimen, Jurisdiction? site = Jurisdiction.Us) => new(regimen, C1D1, CalendarAssert.Adult, site);

    private static (DoseCourse Course, CourseCalendar Calendar) Given(Regimen regimen, params (string Day, double Amount)[] doses)
    {
        var calendar = Calendar(regimen);
        var course = DoseCourse.Start(calendar);
        foreach (var (day, amount) in doses)
        {
            course = course.Given(calendar, At(day), amount, Guid.NewGuid()).Course;
        }

        return (course, calendar);
    }

    private static string[] Upcoming(DoseCourse course, CourseCalendar calendar, int count) =>
        [.. course.Upcoming(calendar, count).Select(u => $"{u.Due:yyyy-MM-dd} {u.Planned.Label}")];

    [Fact]
    public void A_new_course_is_due_on_its_planned_first_dose_and_a_glofitamab_course_skips_the_obinutuzumab_pretreatment()
    {
        var mosunetuzumab = Calendar(Mosunetuzumab.Label);
        var glofitamab = Calendar(Glofitamab.Regimens[0]);

        Assert.Equal((0, new DateOnly(2026, 1, 5)), (DoseCourse.Start(mosunetuzumab).Next, DoseCourse.Start(mosunetuzumab).Due));
        Assert.Equal("C1 D8: glofitamab 2.5 mg (step-up dose 1)", glofitamab.At(DoseCourse.Start(glofitamab).Next!.Value)!.Label);
        Assert.False(CourseCalendar.HasCourse(Blinatumomab.Regimens[0])); // a continuous infusion
    }

    [Fact]
    public void A_dose_given_late_re_anchors_the_calendar_on_the_day_it_was_given()
    {
        // 2.5 mg planned C1D8 (2026-01-12), given two days late: 10 mg is due 7 days after it, then 30 mg 7 days later (C2D1, day 22).
        var (course, calendar) = Given(Glofitamab.Regimens[0], ("2026-01-14", 2.5));

        Assert.Equal(["2026-01-21 C1 D15: glofitamab 10 mg (step-up dose 2)", "2026-01-28 C2 D1: glofitamab 30 mg", "2026-02-18 C3 D1: glofitamab 30 mg"],
            Upcoming(course, calendar, 3));
    }

    [Fact]
    public void The_reviews_of_a_mosunetuzumab_C1D15_dose_are_its_due_day_a_day_later_and_each_restart_bound_after_the_2_mg_dose()
    {
        var (course, calendar) = Given(Mosunetuzumab.Label, ("2026-01-05", 1), ("2026-01-12", 2));

        Assert.Equal(
            [
                new CourseReview(DoseCourse.DueKind, At("2026-01-19", 0)),
                new CourseReview(DoseCourse.LateKind, At("2026-01-20", 0)),
                // "> 2 weeks to < 6 weeks" and "≥ 6 weeks" after the 2 mg dose (2026-01-12 10:00); "1-2 weeks" gives the dose as planned.
                new CourseReview(DoseCourse.RestartKind, At("2026-01-26") + TimeSpan.FromTicks(1)),
                new CourseReview(DoseCourse.RestartKind, At("2026-02-23")),
            ],
            course.Reviews(calendar));
        Assert.Equal(DoseCourse.LateKind, course.DueReview(calendar, At("2026-01-26"))!.Kind); // a review collapses those before it
        Assert.Null(course.DueReview(calendar, At("2026-01-18", 23)));
    }

    [Fact]
    public void Mosunetuzumab_C1D15_more_than_2_weeks_after_the_2_mg_dose_repeats_2_mg_then_60_mg_and_the_calendar_moves()
    {
        var (course, calendar) = Given(Mosunetuzumab.Label, ("2026-01-05", 1), ("2026-01-12", 2));
        var bound = At("2026-01-26") + TimeSpan.FromTicks(1);

        var justBefore = course.Reviewed(calendar, bound - TimeSpan.FromTicks(1));
        var restarted = course.Reviewed(calendar, bound);

        Assert.Null(justBefore.Restart);
        Assert.Equal("> 2 weeks to < 6 weeks", restarted.Restart!.Window);
        var next = restarted.NextAt(calendar, At("2026-01-26", 12))!;
        Assert.Equal(("2 mg (C1D8)", DoseStatus.Due, "2 mg (C1D8)"), (next.Planned.Label, next.Status, next.Last!.Label));
        Assert.Equal(["2026-01-26 2 mg (C1D8)", "2026-02-02 60 mg (C1D15)", "2026-02-09 60 mg (C2D1)", "2026-03-02 30 mg (C3+)"], Upcoming(restarted, calendar, 4));
        // Only the next bound (≥ 6 weeks: repeat 1 mg and 2 mg) is still to be reviewed; no due or late review repeats the advice.
        Assert.Equal([new CourseReview(DoseCourse.RestartKind, At("2026-02-23"))], restarted.Reviews(calendar));

        var (dosed, filled) = restarted.Given(calendar, At("2026-01-27"), 2, Guid.NewGuid());
        Assert.Equal(1, filled);
        Assert.Null(dosed.Restart);
        Assert.Equal(["2026-02-03 60 mg (C1D15)", "2026-02-10 60 mg (C2D1)", "2026-03-03 30 mg (C3+)"], Upcoming(dosed, calendar, 3));
    }

    [Fact]
    public void Mosunetuzumab_6_weeks_after_the_first_60_mg_repeats_the_whole_step_up_and_resumes_at_30_mg_a_week_after()
    {
        var (course, calendar) = Given(Mosunetuzumab.Label, ("2026-01-05", 1), ("2026-01-12", 2), ("2026-01-19", 60));

        var restarted = course.Reviewed(calendar, At("2026-03-02"));

        Assert.Equal("≥ 6 weeks", restarted.Restart!.Window);
        Assert.Equal(["2026-03-02 1 mg (C1D1)", "2026-03-09 2 mg (C1D8)", "2026-03-16 60 mg (C1D15)", "2026-03-23 30 mg (C3+)", "2026-04-13 30 mg (C3+)"],
            Upcoming(restarted, calendar, 5));
    }

    [Fact]
    public void Mosunetuzumab_60_mg_given_1_to_6_weeks_late_is_given_as_planned_and_moves_nothing()
    {
        var (course, calendar) = Given(Mosunetuzumab.Label, ("2026-01-05", 1), ("2026-01-12", 2), ("2026-01-19", 60));

        var reviewed = course.Reviewed(calendar, At("2026-02-20"));
        var next = reviewed.NextAt(calendar, At("2026-02-20"))!;

        Assert.Null(reviewed.Restart);
        Assert.Equal(("60 mg (C2D1)", DoseStatus.Late, 25), (next.Planned.Label, next.Status, next.LateByDays));
        Assert.Equal("1 week to < 6 weeks", Assert.Single(next.Rules).Window);
    }

    [Fact]
    public void Epcoritamab_more_than_8_days_after_step_up_1_repeats_cycle_1_then_resumes_at_day_1_of_the_next_cycle()
    {
        var (course, calendar) = Given(Epcoritamab.Dlbcl, ("2026-01-05", 0.16));
        Assert.Equal([DoseCourse.DueKind, DoseCourse.LateKind, DoseCourse.RestartKind], course.Reviews(calendar).Select(r => r.Kind));

        var restarted = course.Reviewed(calendar, At("2026-01-13") + TimeSpan.FromTicks(1)); // 8 days + a tick

        Assert.Equal(["2026-01-13 0.16 mg (C1D1)", "2026-01-20 0.8 mg (C1D8)", "2026-01-27 48 mg (full dose)", "2026-02-03 48 mg (full dose)", "2026-02-10 48 mg (full dose)"],
            Upcoming(restarted, calendar, 5));
        Assert.Equal((2, 1), (calendar.At(restarted.Upcoming(calendar, 5)[4].Slot)!.Cycle, calendar.At(restarted.Upcoming(calendar, 5)[4].Slot)!.Day));
    }

    [Fact]
    public void A_dose_of_another_amount_than_the_next_re_anchors_on_the_slot_of_that_amount()
    {
        // The ward gives the planned 60 mg instead of the advised repeat of 2 mg: the course follows what was given.
        var (course, calendar) = Given(Mosunetuzumab.Label, ("2026-01-05", 1), ("2026-01-12", 2));
        var restarted = course.Reviewed(calendar, At("2026-01-27"));

        var (dosed, filled) = restarted.Given(calendar, At("2026-01-27"), 60, Guid.NewGuid());

        Assert.Equal("60 mg (C1D15)", calendar.At(filled!.Value)!.Label);
        Assert.Equal(["2026-02-03 60 mg (C2D1)"], Upcoming(dosed, calendar, 1));
    }

    [Fact]
    public void Restart_rows_of_another_jurisdiction_neither_move_the_calendar_nor_are_reviewed()
    {
        // The mosunetuzumab restart table is the US PI's (§5.13): an EU site's course has no restart bound.
        var calendar = Calendar(Mosunetuzumab.Label, Jurisdiction.Eu);
        var course = DoseCourse.Start(calendar).Given(calendar, At("2026-01-05"), 1, Guid.NewGuid()).Course
            .Given(calendar, At("2026-01-12"), 2, Guid.NewGuid()).Course;

        Assert.DoesNotContain(course.Reviews(calendar), r => r.Kind == DoseCourse.RestartKind);
        Assert.Null(course.Reviewed(calendar, At("2026-03-30")).Restart);
        Assert.Empty(course.NextAt(calendar, At("2026-03-30"))!.Table);
    }

    [Fact]
    public void The_end_of_the_plan_ends_the_course()
    {
        var regimen = Glofitamab.Regimens[0];
        var calendar = Calendar(regimen);
        var course = DoseCourse.Start(calendar);
        var day = C1D1.AddDays(7);
        for (var i = 0; i < 14 && course.Next is not null; i++)
        {
            course = course.Given(calendar, new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero), calendar.At(course.Next.Value)!.Amount, Guid.NewGuid()).Course;
            day = course.Due;
        }

        Assert.Null(course.Next); // 2.5 mg, 10 mg, then 30 mg C2-C12: 13 doses
        Assert.Empty(course.Reviews(calendar));
        Assert.Null(course.NextAt(calendar, At("2026-12-01")));
    }
}
