namespace Toxicity.Contracts.V1;

/// <summary>
/// Grading's clock reviewed a patient's timeline at a clinical time that the timeline made due (CLINICAL-RULES.md §8.4
/// C2-CLK-1): a reading went stale or unconfirmed, a risk or masking window ended, an overdue notice reached its next
/// tier, or the episode's closure came. <see cref="ObservedAt"/> is that due time; <see cref="Kind"/> names why (e.g.
/// <c>temperature-due</c>, <c>episode-closure</c>; several joined by <c>+</c>). <see cref="EventId"/> is derived from
/// the patient, the kind and the due time, so the review is published once and every replay grades the timeline at it
/// identically. Published by Grading (the instance that owns the patient's partition) when the wall clock passes the due time.
/// </summary>
public sealed record GradingReviewed(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    string Kind,
    string RuleSet) : IPatientEvent;
