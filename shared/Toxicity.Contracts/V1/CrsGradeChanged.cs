namespace Toxicity.Contracts.V1;

/// <summary>
/// A patient's CRS grade changed. Published by Grading only when the grade differs from the last one
/// it published; <see cref="EventId"/> is derived from <see cref="CausedByEventId"/>, so a redelivered
/// cause republishes the same fact.
/// </summary>
public sealed record CrsGradeChanged(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    Guid CausedByEventId,
    int PreviousGrade,
    int NewGrade,
    string RuleSet,
    IReadOnlyList<string> Criteria) : IPatientEvent;
