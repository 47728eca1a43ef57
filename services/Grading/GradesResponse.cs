using Toxicity.Grading.Timeline;
using Toxicity.Grading.V2;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

/// <summary>
/// <c>GET /api/v1/patients/{id}/grades</c> (rule set /2): each scale's grade shown now (a lower bound, provisional, or
/// kept and stale when what would change it is missing: CLINICAL-RULES.md §8.1-§8.2) beside the engine's answer from
/// the readings current at the latest point; the readings owed (C2-OD-1) and the next clock review; the episode, its
/// maxima and the episodes closed; the history of changes, refinements and corrections, oldest first.
/// </summary>
internal sealed record GradesResponse(
    string PatientId,
    string RuleSet,
    DateTimeOffset AsOf,
    int Observations,
    int Reviews,
    EpisodeAnswer? Episode,
    DateTimeOffset? LastBispecificDoseAt,
    DateTimeOffset? RiskWindowUntil,
    DateTimeOffset? MaskingUntil,
    CurrentGrade Crs,
    CurrentGrade Icans,
    ScaleAnswer? CtcaeCrs,
    string? NotGradableReason,
    IReadOnlyList<OverdueAnswer> Overdue,
    ReviewAnswer? NextReview,
    IReadOnlyList<ClosureAnswer> ClosedEpisodes,
    IReadOnlyList<HistoryAnswer> History)
{
    public static GradesResponse From(string patientId, PatientGradesV2 grades, GradingWindows windows, Func<Guid, bool> published)
    {
        var current = grades.Timeline.Current!;
        var state = current.State;
        var result = current.Result;
        var (observations, reviews) = grades.Timeline.Counts;
        return new GradesResponse(
            patientId,
            Toxicity.Grading.RuleSet.Astct2019v2.Id,
            current.Observation.At,
            observations,
            reviews,
            state.EpisodeOpenedAt is { } opened
                ? new EpisodeAnswer(state.Episode, opened, state.LastFindingAt, state.FeverInEpisode, state.FeverMasked, state.PossibleCrsInEpisode)
                : null,
            state.LastBispecificDoseAt,
            state.RiskWindowEnd(windows) is { } risk && risk > current.Observation.At ? risk : null,
            state.MaskingEnd > current.Observation.At ? state.MaskingEnd : null,
            new CurrentGrade(result is null ? null : ScaleAnswer.From(result.AstctCrs), Shown.Of(state.Crs), (int?)state.CrsEpisodeMaximum, grades.DecidedCrs),
            new CurrentGrade(result is null ? null : ScaleAnswer.From(result.AstctIcans), Shown.Of(state.Icans), (int?)state.IcansEpisodeMaximum, grades.DecidedIcans),
            result is null ? null : ScaleAnswer.From(result.CtcaeCrs),
            current.NotGradableReason,
            [.. current.Overdue.Select(o => new OverdueAnswer(ContractMapping.Code(o.Reading), o.Since, ContractMapping.Code(o.Reason), o.LastObservedAt,
                grades.Overdue.TryGetValue(o.Reading, out var notified) ? ContractMapping.Code(notified.Status) : null))],
            grades.NextReview is { } next ? new ReviewAnswer(next.Kind, next.Due) : null,
            [.. grades.Closures.Select(c => new ClosureAnswer(c.Episode, c.OpenedAt, c.ClosedAt, c.Unobserved, (int?)c.CrsMaximum, (int?)c.IcansMaximum))],
            [.. grades.History.Select(h => HistoryAnswer.Of(h, published))]);
    }
}

/// <summary>The open episode (docs/grading-timeline.md).</summary>
internal sealed record EpisodeAnswer(int Number, DateTimeOffset OpenedAt, DateTimeOffset? LastFindingAt, bool FeverInEpisode, bool FeverMasked, bool PossibleCrs);

/// <summary>A closed episode: normally, or unobserved after 14 days without any observation (C2-EP-2).</summary>
internal sealed record ClosureAnswer(int Number, DateTimeOffset OpenedAt, DateTimeOffset ClosedAt, bool Unobserved, int? CrsMaximum, int? IcansMaximum);

/// <summary>
/// The grade shown: the number, "at least" (<see cref="LowerBound"/>; 0 as a lower bound reads "not assessed":
/// <see cref="NotAssessed"/>), <see cref="Provisional"/> (possible CRS, to confirm), <see cref="Stale"/> (kept from
/// readings no longer current), and when it was last assessed.
/// </summary>
internal sealed record Shown(int Grade, bool LowerBound, bool Provisional, bool Stale, bool NotAssessed, DateTimeOffset LastAssessedAt)
{
    public static Shown? Of(ShownGrade? grade) =>
        grade is null ? null : new Shown(grade.Grade, grade.LowerBound, grade.Provisional, grade.Stale, grade.NotAssessed, grade.AssessedAt);
}

/// <summary>One scale now: the engine's answer from the current readings (null while the age is not known), the grade shown, the episode maximum, and the grade last published.</summary>
internal sealed record CurrentGrade(ScaleAnswer? Current, Shown? Shown, int? EpisodeMaximum, int LastPublished);

/// <summary>A reading owed (C2-OD-1): which, since when, why, when last observed, and the notice published for it (overdue / stillOverdue).</summary>
internal sealed record OverdueAnswer(string Reading, DateTimeOffset Since, string Reason, DateTimeOffset? LastObservedAt, string? Notified);

/// <summary>The next clock review (C2-CLK-1): why, and when it is due.</summary>
internal sealed record ReviewAnswer(string Kind, DateTimeOffset Due);

/// <summary>
/// A change (the published grade moved; <see cref="EventId"/> is the grade-change event, <see cref="Published"/> whether
/// it is in the event log yet), a refinement (a lower bound became exact at the same number, or the reverse: recorded, not
/// published) or a correction (a late observation changed the grade from <see cref="At"/> on).
/// </summary>
internal sealed record HistoryAnswer(
    string Scale, string Kind, DateTimeOffset At, int? From, int? To, bool LowerBound, bool Provisional, Guid CausedByEventId, Guid? EventId, bool? Published)
{
    public static HistoryAnswer Of(GradeHistoryEntry entry, Func<Guid, bool> published)
    {
        Guid? eventId = entry.Kind == GradeHistoryKind.Change
            ? EventIds.Derive(entry.CausedBy, entry.Scale == GradeScale.Crs ? ContractMapping.CrsGradeChangedEffect : ContractMapping.IcansGradeChangedEffect)
            : null;
        return new HistoryAnswer(
            entry.Scale == GradeScale.Crs ? "crs" : "icans",
            ContractMapping.Code(entry.Kind),
            entry.At,
            entry.From,
            entry.To,
            entry.LowerBound,
            entry.Provisional,
            entry.CausedBy,
            eventId,
            eventId is { } id ? published(id) : null);
    }
}
