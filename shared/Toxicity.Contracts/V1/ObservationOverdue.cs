namespace Toxicity.Contracts.V1;

/// <summary>
/// An observation the ward owes for a patient inside a post-dose risk window or an open episode (CLINICAL-RULES.md
/// §8.2 C2-OD-1). <see cref="Reading"/> is one of <c>temperature</c>, <c>hypotension</c>, <c>oxygen</c>,
/// <c>vasopressors</c>, <c>neuroScore</c> (ICE, or CAPD for children and developmental delay), <c>consciousness</c>.
/// <see cref="Status"/> is <c>overdue</c> (a notice to the ward's first tier), <c>stillOverdue</c> (2 h later, to the
/// next tier) or <c>cleared</c> (the reading arrived, or the window ended). <see cref="Reason"/> is <c>stale</c>,
/// <c>notReported</c>, <c>unconfirmed</c> or <c>neededNow</c> (null when cleared); <see cref="Since"/> is when it became
/// owed; <see cref="LastObservedAt"/> when the reading was last observed (null: never). A notice of its own kind, never a
/// grade alert. Published by Grading; <see cref="EventId"/> is derived from <see cref="CausedByEventId"/> (the observation
/// or <see cref="GradingReviewed"/> that decided it), the reading and the status.
/// </summary>
public sealed record ObservationOverdue(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    Guid CausedByEventId,
    string Reading,
    string Status,
    DateTimeOffset Since,
    string? Reason,
    DateTimeOffset? LastObservedAt,
    string RuleSet) : IPatientEvent;
