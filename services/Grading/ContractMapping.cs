using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading.Timeline;
using Toxicity.Grading.V2;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

/// <summary>The only place where contract and domain types meet in this service.</summary>
internal static class ContractMapping
{
    public const string CrsGradeChangedEffect = "crs-grade-changed";
    public const string IcansGradeChangedEffect = "icans-grade-changed";
    public const string ObservationOverdueEffect = "observation-overdue";
    public const string CtcaeCrsGradeChangedEffect = "ctcae-crs-grade-changed";

    /// <summary>The id of the rule set's cut-over event: one per rule set, whatever instance records it.</summary>
    public static Guid AdoptionId(string ruleSet) => EventIds.NameBased(EventIds.Namespace, $"rule-set-adopted/{ruleSet}");

    /// <summary>The id of a clock review: from the patient, why and when it is due (C2-CLK-1), so it is one fact whoever records it.</summary>
    public static Guid ReviewId(string patientId, ReviewDue review) =>
        EventIds.NameBased(EventIds.Namespace, $"grading-reviewed/{patientId}/{review.Kind}/{review.Due.UtcDateTime:O}");

    /// <summary>The event that publishes a rule set /1 <paramref name="change"/>; its id is derived from the cause, so it is the same in every instance and after every restart.</summary>
    public static IPatientEvent ToContract(this GradeChange change, string patientId, DateTimeOffset now)
    {
        var result = change.Point.Result!;
        return change.Scale switch
        {
            GradeScale.Crs => new CrsGradeChanged(
                EventId: EventIds.Derive(change.Cause.Id, CrsGradeChangedEffect),
                PatientId: patientId,
                ObservedAt: change.Cause.At,
                RecordedAt: now,
                CausedByEventId: change.Cause.Id,
                PreviousGrade: change.PreviousGrade,
                NewGrade: change.NewGrade,
                RuleSet: result.AstctCrs.RuleSet.Id,
                Criteria: [.. result.AstctCrs.Criteria.Select(c => c.Code)],
                EpisodeMaximumGrade: change.EpisodeMaximumGrade,
                CtcaeGrade: (int?)result.CtcaeCrs.Grade,
                CtcaeRuleSet: result.CtcaeCrs.RuleSet.Id,
                CtcaeCriteria: [.. result.CtcaeCrs.Criteria.Select(c => c.Code)]),
            _ => new IcansGradeChanged(
                EventId: EventIds.Derive(change.Cause.Id, IcansGradeChangedEffect),
                PatientId: patientId,
                ObservedAt: change.Cause.At,
                RecordedAt: now,
                CausedByEventId: change.Cause.Id,
                PreviousGrade: change.PreviousGrade,
                NewGrade: change.NewGrade,
                EpisodeMaximumGrade: change.EpisodeMaximumGrade,
                RuleSet: result.AstctIcans.RuleSet.Id,
                Criteria: [.. result.AstctIcans.Criteria.Select(c => c.Code)]),
        };
    }

    /// <summary>The event that publishes a rule set /2 <paramref name="change"/>, with its lower-bound, provisional and stale flags (§8.1).</summary>
    public static IPatientEvent ToContract(this GradeChangeV2 change, string patientId, DateTimeOffset now)
    {
        var result = change.Point.Result!;
        var grade = change.Grade;
        return change.Scale switch
        {
            GradeScale.Crs => new CrsGradeChanged(
                EventId: EventIds.Derive(change.Cause.Id, CrsGradeChangedEffect),
                PatientId: patientId,
                ObservedAt: change.Cause.At,
                RecordedAt: now,
                CausedByEventId: change.Cause.Id,
                PreviousGrade: change.PreviousGrade,
                NewGrade: grade.Grade,
                RuleSet: result.AstctCrs.RuleSet.Id,
                Criteria: [.. result.AstctCrs.Criteria.Select(c => c.Code)],
                EpisodeMaximumGrade: change.EpisodeMaximumGrade,
                CtcaeGrade: (int?)result.CtcaeCrs.Grade,
                CtcaeRuleSet: result.CtcaeCrs.RuleSet.Id,
                CtcaeCriteria: [.. result.CtcaeCrs.Criteria.Select(c => c.Code)],
                LowerBound: grade.LowerBound,
                Provisional: grade.Provisional,
                Stale: grade.Stale,
                CtcaeLowerBound: result.CtcaeCrs.LowerBound),
            _ => new IcansGradeChanged(
                EventId: EventIds.Derive(change.Cause.Id, IcansGradeChangedEffect),
                PatientId: patientId,
                ObservedAt: change.Cause.At,
                RecordedAt: now,
                CausedByEventId: change.Cause.Id,
                PreviousGrade: change.PreviousGrade,
                NewGrade: grade.Grade,
                EpisodeMaximumGrade: change.EpisodeMaximumGrade,
                RuleSet: result.AstctIcans.RuleSet.Id,
                Criteria: [.. result.AstctIcans.Criteria.Select(c => c.Code)],
                LowerBound: grade.LowerBound,
                Provisional: grade.Provisional,
                Stale: grade.Stale),
        };
    }

    /// <summary>The event that publishes a change of the CTCAE v5.0 CRS number (issue 15).</summary>
    public static CtcaeCrsGradeChanged ToContract(this CtcaeChangeV2 change, string patientId, DateTimeOffset now)
    {
        var result = change.Point.Result!.CtcaeCrs;
        return new(
            EventId: EventIds.Derive(change.Cause.Id, CtcaeCrsGradeChangedEffect),
            PatientId: patientId,
            ObservedAt: change.Cause.At,
            RecordedAt: now,
            CausedByEventId: change.Cause.Id,
            PreviousGrade: change.PreviousGrade,
            NewGrade: change.Grade,
            RuleSet: result.RuleSet.Id,
            Criteria: [.. result.Criteria.Select(c => c.Code)],
            LowerBound: change.LowerBound);
    }

    /// <summary>The event that publishes an overdue-observation notice (C2-OD-1).</summary>
    public static ObservationOverdue ToContract(this OverdueNotice notice, string patientId, DateTimeOffset now) => new(
        EventId: EventIds.Derive(notice.Cause.Id, $"{ObservationOverdueEffect}/{Code(notice.Reading)}/{Code(notice.Status)}"),
        PatientId: patientId,
        ObservedAt: notice.Cause.At,
        RecordedAt: now,
        CausedByEventId: notice.Cause.Id,
        Reading: Code(notice.Reading),
        Status: Code(notice.Status),
        Since: notice.Since,
        Reason: notice.Reason is { } reason ? Code(reason) : null,
        LastObservedAt: notice.LastObservedAt,
        RuleSet: RuleSet.Astct2019v2.Id);

    /// <summary>The clock review due for <paramref name="patientId"/>.</summary>
    public static GradingReviewed ToContract(this ReviewDue review, string patientId, DateTimeOffset now) =>
        new(ReviewId(patientId, review), patientId, review.Due, now, review.Kind, RuleSet.Astct2019v2.Id);

    /// <summary>An enum value as its camelCase API code.</summary>
    public static string Code<TEnum>(TEnum value)
        where TEnum : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
