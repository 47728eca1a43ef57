using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

/// <summary>The only place where contract and domain types meet in this service.</summary>
internal static class ContractMapping
{
    public const string CrsGradeChangedEffect = "crs-grade-changed";

    public static CrsGradeChanged ToContract(this CrsGradeTransition change, VitalSignsRecorded causedBy, DateTimeOffset now) => new(
        EventId: EventIds.Derive(causedBy.EventId, CrsGradeChangedEffect),
        PatientId: causedBy.PatientId,
        ObservedAt: causedBy.ObservedAt,
        RecordedAt: now,
        CausedByEventId: causedBy.EventId,
        PreviousGrade: (int)change.Previous,
        NewGrade: (int)change.Next,
        RuleSet: change.RuleSet,
        Criteria: change.Criteria);
}
