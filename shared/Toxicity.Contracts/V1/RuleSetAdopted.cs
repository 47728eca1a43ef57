namespace Toxicity.Contracts.V1;

/// <summary>
/// Grading started grading with a new live rule set (CLINICAL-RULES.md §8.5): from this entry of the event log on,
/// observations are graded under <see cref="RuleSet"/> with <see cref="CtcaeRuleSet"/>; what was recorded before it
/// keeps the rule set it was recorded under (e.g. an <c>awakensSpontaneously</c> recorded under <c>astct-2019/1</c>
/// meant "alert"), and nothing is published again for the past. <see cref="ObservedAt"/> is the cut-over time;
/// <see cref="PatientId"/> is <c>*</c> (all patients). Published once by the first Grading instance of a version with a
/// new live rule set; <see cref="EventId"/> is derived from the rule set.
/// </summary>
public sealed record RuleSetAdopted(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    string RuleSet,
    string CtcaeRuleSet) : IPatientEvent;
