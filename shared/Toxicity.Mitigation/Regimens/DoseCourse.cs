using System.Collections.Immutable;

namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// The doses of a patient's plan as a course: the plan's doses of the drug (no pretreatment; not a continuous infusion) in
/// order, numbered from 0 (slots), for one site's jurisdiction. The plan is extended as far as a slot asks for (open-ended
/// regimens). Amounts follow the patient's current measures.
/// </summary>
public sealed class CourseCalendar
{
    private readonly Regimen _regimen;
    private readonly DateOnly _cycle1Day1;
    private readonly PatientMeasures _measures;
    private readonly Jurisdiction? _site;
    private IReadOnlyList<PlannedDose> _doses = [];
    private int _cycles;
    private bool _complete;

    public CourseCalendar(Regimen regimen, DateOnly cycle1Day1, PatientMeasures measures, Jurisdiction? site)
    {
        ArgumentNullException.ThrowIfNull(regimen);
        _regimen = regimen;
        _cycle1Day1 = cycle1Day1;
        _measures = measures;
        _site = site;
    }

    /// <summary>Whether <paramref name="regimen"/> has a course of discrete doses (a continuous infusion has none).</summary>
    public static bool HasCourse(Regimen regimen)
    {
        ArgumentNullException.ThrowIfNull(regimen);
        return regimen.Route != Route.ContinuousIntravenous && regimen.Status == RegimenStatus.Label;
    }

    public Regimen Regimen => _regimen;

    /// <summary>The dose of slot <paramref name="slot"/>, or null past the end of the plan.</summary>
    public PlannedDose? At(int slot)
    {
        while (slot >= _doses.Count && !_complete)
        {
            var cycles = Math.Max(4, _cycles * 2);
            var plan = TreatmentPlanner.Plan(_regimen, _cycle1Day1, _measures, cycles, _site);
            _complete = plan.Cycles < cycles;
            _cycles = cycles;
            _doses = [.. plan.Doses.Where(d => d.Role != DoseRole.Pretreatment)];
        }

        return slot >= 0 && slot < _doses.Count ? _doses[slot] : null;
    }

    /// <summary>The first slot at or after <paramref name="from"/> whose dose has <paramref name="label"/>, or null.</summary>
    public int? Find(string label, int from)
    {
        for (var slot = from; At(slot) is { } dose; slot++)
        {
            if (string.Equals(dose.Label, label, StringComparison.Ordinal))
            {
                return slot;
            }
        }

        return null;
    }

    /// <summary>The first slot of a cycle after <paramref name="cycle"/>, or null.</summary>
    public int? FirstOfCycleAfter(int cycle)
    {
        for (var slot = 0; At(slot) is { } dose; slot++)
        {
            if (dose.Cycle > cycle)
            {
                return slot;
            }
        }

        return null;
    }

    /// <summary>The days from slot <paramref name="from"/> to slot <paramref name="to"/> in the plan.</summary>
    public int DaysBetween(int from, int to) => At(to)!.Date.DayNumber - At(from)!.Date.DayNumber;

    /// <summary>The restart-table rows of the regimen shown at the site, for a last dose of <paramref name="label"/>.</summary>
    public IEnumerable<DelayRule> RulesAfter(string label) =>
        (_regimen.DelayRules ?? []).Where(r => r.Jurisdiction.ShownAt(_site) && string.Equals(r.LastDoseLabel, label, StringComparison.Ordinal));
}

/// <summary>A dose given, as the course knows it: the slot it filled, when, and its record.</summary>
public sealed record GivenDose(int Slot, string Label, DateTimeOffset At, Guid EventId);

/// <summary>Whether the next dose is ahead, due today, or late (by <see cref="NextDose.LateByDays"/>).</summary>
public enum DoseStatus
{
    Upcoming,
    Due,
    Late,
}

/// <summary>
/// The next dose of a course at a time: its slot and planned dose, its due date and status, the last dose given and the
/// time since it, the rows of the label's restart table for that last dose shown at the site (<see cref="Table"/>) and
/// those that hold now (<see cref="Rules"/>), and the restart being given (null: as planned).
/// </summary>
public sealed record NextDose(
    int Slot,
    PlannedDose Planned,
    DateOnly Due,
    DoseStatus Status,
    int LateByDays,
    GivenDose? Last,
    TimeSpan? SinceLastDose,
    IReadOnlyList<DelayRule> Table,
    IReadOnlyList<DelayRule> Rules,
    DelayRule? Restart);

/// <summary>A time the course asks to be reviewed at: why (<c>due</c>, <c>late</c>, <c>restart</c>) and when.</summary>
public sealed record CourseReview(string Kind, DateTimeOffset At);

/// <summary>
/// Where a patient is in their course (issue 15, "advice before the dose"): the next slot and its due date, re-anchored on
/// every dose given (the next is due the plan's spacing after the day the last one was given), the doses a restart still
/// gives after it and where the plan resumes, the restart row applied since the last dose, and how far the clock has
/// reviewed it. Immutable and pure: the same events give the same course in any process.
/// </summary>
public sealed record DoseCourse(
    int? Next,
    DateOnly Due,
    GivenDose? Last,
    ImmutableList<int> Then,
    int? ResumeSlot,
    int ResumeAfterDays,
    DelayRule? Restart,
    DateTimeOffset? ReviewedThrough)
{
    /// <summary>Review kinds (the contract's <c>DoseReviewed.Kind</c>).</summary>
    public const string DueKind = "due";

    public const string LateKind = "late";

    public const string RestartKind = "restart";

    /// <summary>The course of a new plan: its first dose, due on its planned date.</summary>
    public static DoseCourse Start(CourseCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return calendar.At(0) is { } first
            ? new DoseCourse(0, first.Date, null, [], null, 0, null, null)
            : new DoseCourse(null, default, null, [], null, 0, null, null);
    }

    /// <summary>
    /// A dose recorded at <paramref name="at"/> (of <paramref name="amount"/>, when known). It fills the next slot, or, when
    /// its amount is another slot's (the ward gave something else, e.g. the planned dose instead of a restart's), the
    /// first slot of that amount after the last dose given (then from the start): the course re-anchors on it. Returns
    /// the course and the slot the dose filled.
    /// </summary>
    public (DoseCourse Course, int? Filled) Given(CourseCalendar calendar, DateTimeOffset at, double? amount, Guid eventId)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (Next is not { } expected)
        {
            return (this, null);
        }

        var filled = expected;
        if (amount is { } given && calendar.At(expected)?.Amount is { } planned && !Same(planned, given))
        {
            filled = Matching(calendar, Last is { } previous ? previous.Slot + 1 : 0, given) ?? Matching(calendar, 0, given) ?? expected;
        }

        var day = DateOnly.FromDateTime(at.UtcDateTime);
        var last = new GivenDose(filled, calendar.At(filled)!.Label, at, eventId);
        var asExpected = filled == expected;
        DoseCourse next;
        if (asExpected && Then.Count > 0)
        {
            next = this with { Next = Then[0], Due = day.AddDays(calendar.DaysBetween(filled, Then[0])), Then = Then.RemoveAt(0) };
        }
        else if (asExpected && ResumeSlot is { } resume)
        {
            next = this with { Next = resume, Due = day.AddDays(ResumeAfterDays), ResumeSlot = null };
        }
        else
        {
            next = calendar.At(filled + 1) is null
                ? this with { Next = null }
                : this with { Next = filled + 1, Due = day.AddDays(calendar.DaysBetween(filled, filled + 1)) };
            next = next with { Then = [], ResumeSlot = null };
        }

        return (next with { Last = last, Restart = null, ReviewedThrough = null }, filled);
    }

    /// <summary>
    /// The clock reviewed the course at <paramref name="at"/>: reviews up to then are done, and a restart row that holds
    /// then (an encoded row that gives doses) moves the calendar: its doses from that day, then where the plan resumes.
    /// </summary>
    public DoseCourse Reviewed(CourseCalendar calendar, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var course = this with { ReviewedThrough = at };
        if (Next is not { } delayed || Last is not { } last)
        {
            return course;
        }

        var rule = calendar.RulesAfter(last.Label).FirstOrDefault(r => r.Encoded && r.Give is { Count: > 0 } && r.Covers(at - last.At));
        if (rule is null || rule == Restart || Slots(calendar, rule.Give!) is not { Count: > 0 } give)
        {
            return course;
        }

        var lastGive = give[^1];
        var resume = rule.ThenResume switch
        {
            null => calendar.At(lastGive + 1) is null ? (int?)null : lastGive + 1,
            DelayRule.NextCycle => calendar.FirstOfCycleAfter(calendar.At(delayed)!.Cycle),
            var label => calendar.Find(label, lastGive + 1),
        };
        var resumeAfter = rule.ResumeAfter is { } after
            ? (int)Math.Round(after.TotalDays)
            : calendar.At(lastGive + 1) is null ? 0 : calendar.DaysBetween(lastGive, lastGive + 1);
        return course with
        {
            Next = give[0],
            Due = DateOnly.FromDateTime(at.UtcDateTime),
            Then = [.. give.Skip(1)],
            ResumeSlot = resume,
            ResumeAfterDays = resumeAfter,
            Restart = rule,
        };
    }

    /// <summary>
    /// The reviews still to come, in time order: the next dose's due time (00:00 UTC of its due date) and a day later
    /// (late), and each bound of the label's restart table after the last dose whose row changes what to give (a restart
    /// or a row not encoded). After a restart was advised, only a later bound of a restart row. Those at or before
    /// <see cref="ReviewedThrough"/> are done.
    /// </summary>
    public IReadOnlyList<CourseReview> Reviews(CourseCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (Next is null)
        {
            return [];
        }

        var dueAt = new DateTimeOffset(Due.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var reviews = new List<CourseReview>();
        if (Restart is null)
        {
            reviews.Add(new(DueKind, dueAt));
            reviews.Add(new(LateKind, dueAt.AddDays(1)));
        }

        if (Last is { } last)
        {
            foreach (var rule in calendar.RulesAfter(last.Label))
            {
                var moves = Restart is null ? rule.Give is not null || !rule.Encoded : rule.Give is not null && rule.Encoded && rule.MoreThan > Restart.MoreThan;
                if (moves && rule.MoreThan is { } bound && last.At + bound + TimeSpan.FromTicks(1) is var at && (Restart is not null || at > dueAt))
                {
                    reviews.Add(new(RestartKind, at));
                }
            }
        }

        return [.. reviews.Where(r => ReviewedThrough is not { } done || r.At > done).OrderBy(r => r.At)];
    }

    /// <summary>The latest review due by <paramref name="now"/> (earlier ones due with it are covered by it), or null.</summary>
    public CourseReview? DueReview(CourseCalendar calendar, DateTimeOffset now) =>
        Reviews(calendar).LastOrDefault(r => r.At <= now);

    /// <summary>The next dose at <paramref name="now"/> with its status and the restart-table rows that hold; null when the course is complete.</summary>
    public NextDose? NextAt(CourseCalendar calendar, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (Next is not { } slot || calendar.At(slot) is not { } planned)
        {
            return null;
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var late = today.DayNumber - Due.DayNumber;
        var since = Last is { } last ? now - last.At : (TimeSpan?)null;
        var table = Last is { } given ? calendar.RulesAfter(given.Label).ToList() : [];
        return new NextDose(slot, planned, Due, late < 0 ? DoseStatus.Upcoming : late == 0 ? DoseStatus.Due : DoseStatus.Late, Math.Max(0, late),
            Last, since, table, [.. table.Where(r => r.Covers(since!.Value))], Restart);
    }

    /// <summary>The upcoming doses, re-anchored: the next on its due date, the others spaced as the plan (and a restart) say; at most <paramref name="count"/>.</summary>
    public IReadOnlyList<(int Slot, PlannedDose Planned, DateOnly Due)> Upcoming(CourseCalendar calendar, int count)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var result = new List<(int, PlannedDose, DateOnly)>();
        var course = this;
        var at = Due;
        while (result.Count < count && course.Next is { } slot && calendar.At(slot) is { } planned)
        {
            result.Add((slot, planned, at));
            var (after, _) = course.Given(calendar, new DateTimeOffset(at.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), planned.Amount, Guid.Empty);
            course = after;
            at = after.Due;
        }

        return result;
    }

    private static List<int>? Slots(CourseCalendar calendar, IReadOnlyList<string> labels)
    {
        var slots = new List<int>(labels.Count);
        var from = 0;
        foreach (var label in labels)
        {
            if (calendar.Find(label, from) is not { } slot)
            {
                return null;
            }

            slots.Add(slot);
            from = slot + 1;
        }

        return slots;
    }

    private static int? Matching(CourseCalendar calendar, int from, double amount)
    {
        for (var slot = from; slot < from + 64 && calendar.At(slot) is { } dose; slot++)
        {
            if (dose.Amount is { } planned && Same(planned, amount))
            {
                return slot;
            }
        }

        return null;
    }

    private static bool Same(double a, double b) => Math.Abs(a - b) < 1e-6 * Math.Max(1, Math.Abs(a));
}
