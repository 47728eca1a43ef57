using Toxicity.Contracts.V1;
using Toxicity.Grading;
using Toxicity.Hosting;

namespace Toxicity.Mitigation.Service;

/// <summary>The only place where contract and domain types meet in this service.</summary>
internal static class ContractMapping
{
    public const string MitigationAdvisedEffect = "mitigation-advised";

    public static (CrsGrade Previous, CrsGrade Next) ToDomain(this CrsGradeChanged changed) =>
        (ToGrade(changed.PreviousGrade), ToGrade(changed.NewGrade));

    public static MitigationAdvised ToContract(this IReadOnlyList<Advice> advice, CrsGradeChanged causedBy, DateTimeOffset now) => new(
        EventId: EventIds.Derive(causedBy.EventId, MitigationAdvisedEffect),
        PatientId: causedBy.PatientId,
        ObservedAt: causedBy.ObservedAt,
        RecordedAt: now,
        CausedByEventId: causedBy.EventId,
        Items: [.. advice.Select(a => new AdviceItem(a.Code, a.Text, a.Source))]);

    private static CrsGrade ToGrade(int grade) => Enum.IsDefined((CrsGrade)grade)
        ? (CrsGrade)grade
        : throw new ArgumentOutOfRangeException(nameof(grade), grade, "not an ASTCT CRS grade (0-5)");
}
