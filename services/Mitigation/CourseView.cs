using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Service;

/// <summary>
/// The course of a patient's plan as the API shows it (issue 15): the next dose, its due date (re-anchored on the doses
/// given) and status (<c>upcoming</c>, <c>due</c>, <c>late</c> by <see cref="LateByDays"/>), the last dose given and the
/// time since it, the restart being given (its window and action) and what the label says now (advice items, worded for
/// a clinician to confirm), and the upcoming doses with their re-anchored dates.
/// </summary>
internal sealed record CourseView(
    string? NextDose,
    DateOnly? Due,
    string Status,
    int LateByDays,
    LastDoseView? LastDose,
    RestartView? Restart,
    IReadOnlyList<Advice> LabelSays,
    IReadOnlyList<UpcomingDose> Upcoming)
{
    /// <summary>The course of <paramref name="patient"/> at <paramref name="now"/> with up to <paramref name="upcoming"/> doses; null without one.</summary>
    public static CourseView? Of(PatientRecord patient, DateTimeOffset now, int upcoming)
    {
        if (patient.Course is not { } course || patient.Calendar is not { } calendar)
        {
            return null;
        }

        var last = course.Last is { } given ? new LastDoseView(given.Label, given.At, (now - given.At).TotalHours) : null;
        if (course.NextAt(calendar, now) is not { } next)
        {
            return new CourseView(null, null, "complete", 0, last, null, [], []);
        }

        var status = next.Status switch { DoseStatus.Upcoming => "upcoming", DoseStatus.Due => "due", _ => "late" };
        return new CourseView(next.Planned.Label, next.Due, status, next.LateByDays, last,
            next.Restart is { } restart ? new RestartView(restart.Window, restart.Action, restart.RepeatsStepUp, restart.Source) : null,
            NextDoseAdvisor.Now(patient.Context(), next, patient.Grades, now),
            [.. course.Upcoming(calendar, upcoming).Select(u => new UpcomingDose(u.Planned.Label, u.Planned.Cycle, u.Planned.Day, u.Due, u.Planned.Amount, u.Planned.Unit, u.Planned.Role))]);
    }
}

/// <summary>The last dose given: its label, when, and how many hours ago.</summary>
internal sealed record LastDoseView(string Label, DateTimeOffset GivenAt, double HoursAgo);

/// <summary>The restart-table row being given: its window and action as the label words them.</summary>
internal sealed record RestartView(string Window, string Action, bool RepeatsStepUp, string Source);

/// <summary>An upcoming dose of the course on its re-anchored date.</summary>
internal sealed record UpcomingDose(string Label, int Cycle, int Day, DateOnly Due, double? Amount, string Unit, DoseRole Role);

/// <summary>A plan (the label calendar from C1D1 at the site's jurisdiction) and its course.</summary>
internal sealed record PlanResponse(
    Regimen Regimen,
    DateOnly Cycle1Day1,
    PatientMeasures Patient,
    int Cycles,
    IReadOnlyList<PlannedDose> Doses,
    IReadOnlyList<string> Jurisdiction,
    IReadOnlyList<string> Notes,
    CourseView? Course)
{
    public static PlanResponse Of(TreatmentPlan plan, CourseView? course) =>
        new(plan.Regimen, plan.Cycle1Day1, plan.Patient, plan.Cycles, plan.Doses, plan.Site?.Codes() ?? [], plan.Notes ?? [], course);
}
