using Toxicity.Grading.Timeline;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

/// <summary>
/// <c>GET /api/v1/patients/{id}/grades</c>: the current grades with their reasons (the latest point of the timeline),
/// the number of observations on the timeline, the episode and its maxima, and the history of changes and
/// corrections, oldest first.
/// </summary>
internal sealed record GradesResponse(
    string PatientId,
    DateTimeOffset AsOf,
    int Observations,
    EpisodeAnswer? Episode,
    DateTimeOffset? LastBispecificDoseAt,
    CurrentGrade Crs,
    CurrentGrade Icans,
    ScaleAnswer? CtcaeCrs,
    string? NotGradableReason,
    IReadOnlyList<HistoryAnswer> History)
{
    public static GradesResponse From(string patientId, PatientGrades grades, Func<Guid, bool> published)
    {
        var current = grades.Timeline.Current!;
        var state = current.State;
        var result = current.Result;
        return new GradesResponse(
            patientId,
            current.Observation.At,
            grades.Timeline.Points.Count,
            state.EpisodeOpenedAt is { } opened
                ? new EpisodeAnswer(state.Episode, opened, state.LastFindingAt, state.FeverInEpisode, state.FeverMasked)
                : null,
            state.LastBispecificDoseAt,
            new CurrentGrade(result is null ? null : ScaleAnswer.From(result.AstctCrs), (int?)state.CrsEpisodeMaximum, (int)grades.DecidedCrs),
            new CurrentGrade(result is null ? null : ScaleAnswer.From(result.AstctIcans), (int?)state.IcansEpisodeMaximum, (int)grades.DecidedIcans),
            result is null ? null : ScaleAnswer.From(result.CtcaeCrs),
            current.NotGradableReason,
            [.. grades.History.Select(h => HistoryAnswer.Of(h, published))]);
    }
}

/// <summary>The open episode (docs/grading-timeline.md T-4 to T-6).</summary>
internal sealed record EpisodeAnswer(int Number, DateTimeOffset OpenedAt, DateTimeOffset? LastFindingAt, bool FeverInEpisode, bool FeverMasked);

/// <summary>One scale now: the grade and why (null when the age is not known yet), the episode maximum, and the grade last published.</summary>
internal sealed record CurrentGrade(ScaleAnswer? Current, int? EpisodeMaximum, int LastPublished);

/// <summary>
/// A change (the current grade moved; <see cref="EventId"/> is the grade-change event, <see cref="Published"/> whether
/// it is in the event log yet) or a correction (a late observation changed the grade from <see cref="At"/> on).
/// </summary>
internal sealed record HistoryAnswer(string Scale, string Kind, DateTimeOffset At, int? From, int? To, Guid CausedByEventId, Guid? EventId, bool? Published)
{
    public static HistoryAnswer Of(GradeHistoryEntry entry, Func<Guid, bool> published)
    {
        Guid? eventId = entry.Kind == GradeHistoryKind.Change
            ? EventIds.Derive(entry.CausedBy, entry.Scale == GradeScale.Crs ? ContractMapping.CrsGradeChangedEffect : ContractMapping.IcansGradeChangedEffect)
            : null;
        return new HistoryAnswer(
            entry.Scale == GradeScale.Crs ? "crs" : "icans",
            entry.Kind == GradeHistoryKind.Change ? "change" : "correction",
            entry.At,
            entry.From,
            entry.To,
            entry.CausedBy,
            eventId,
            eventId is { } id ? published(id) : null);
    }
}
