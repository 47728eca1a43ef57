using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading.Timeline;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

/// <summary>The only place where contract and domain types meet in this service.</summary>
internal static class ContractMapping
{
    public const string CrsGradeChangedEffect = "crs-grade-changed";
    public const string IcansGradeChangedEffect = "icans-grade-changed";

    /// <summary>The event that publishes <paramref name="change"/>; its id is derived from the cause, so it is the same in every instance and after every restart.</summary>
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
}
