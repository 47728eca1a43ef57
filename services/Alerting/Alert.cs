namespace Toxicity.Alerting.Service;

/// <summary>
/// An alert as clinicians' screens and the API show it. On the stream, <see cref="Tier"/> is the tier it was raised for;
/// in the list and on the board, the tier it is at now, with its <see cref="Escalations"/> and acknowledgement.
/// </summary>
internal sealed record Alert(
    Guid AlertId,
    string PatientId,
    string? Ward,
    string Scale,
    int PreviousGrade,
    int NewGrade,
    string Kind,
    string Severity,
    string? Tier,
    string Summary,
    IReadOnlyList<string> Criteria,
    string RuleSet,
    DateTimeOffset ObservedAt,
    DateTimeOffset RaisedAt,
    Guid CausedByEventId,
    DateTimeOffset? AcknowledgedAt = null,
    string? AcknowledgedBy = null,
    IReadOnlyList<Escalation>? Escalations = null);

/// <summary>Advice as clinicians' screens show it, beside the alert it follows.</summary>
internal sealed record AdviceNotice(
    Guid AdviceId,
    string PatientId,
    Guid CausedByEventId,
    IReadOnlyList<AdviceNoticeItem> Items);

internal sealed record AdviceNoticeItem(string Code, string Text, string Source);

/// <summary>An acknowledgement as screens show it: which alert, by whom (a credential's name) and when.</summary>
internal sealed record Acknowledgement(Guid AlertId, string PatientId, string AcknowledgedBy, DateTimeOffset AcknowledgedAt);

/// <summary>An escalation as screens show it: which alert went from which tier to which, and when.</summary>
internal sealed record Escalation(Guid AlertId, string PatientId, string Severity, string FromTier, string ToTier, DateTimeOffset EscalatedAt);

/// <summary>
/// A ward board's first state: the ward's patients, its open alerts, and the event-log offset the snapshot was taken at
/// (open the stream after it: <c>?after=</c>, or <c>Last-Event-ID</c>).
/// </summary>
internal sealed record BoardSnapshot(string Ward, long Offset, IReadOnlyList<BoardPatient> Patients, IReadOnlyList<Alert> OpenAlerts);

/// <summary>A patient on a ward board: the pseudonymous id and the current ASTCT CRS and ICANS grades.</summary>
internal sealed record BoardPatient(string PatientId, int Crs, int Icans);
