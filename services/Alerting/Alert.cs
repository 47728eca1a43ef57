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
    IReadOnlyList<Escalation>? Escalations = null,
    bool LowerBound = false,
    bool Provisional = false,
    AlertResponse? Response = null);

/// <summary>
/// A clinician's accept or decline of an alert, with its coded reason, as screens show it; the free-text comment only
/// in the alert history (<c>GET /api/v1/alerts</c>), never on the stream or to a webhook.
/// </summary>
internal sealed record AlertResponse(Guid AlertId, string PatientId, string Response, string Reason, string RespondedBy, DateTimeOffset RespondedAt, string? Comment = null);

/// <summary>A grade change as Alerting reads it: the scale, the numbers, the flags of rule set /2 and the criteria.</summary>
internal sealed record GradeChange(AlertScale Scale, int Previous, int Next, bool LowerBound, bool Provisional, IReadOnlyList<string> Criteria, string RuleSet);

/// <summary>
/// An overdue-observation notice (CLINICAL-RULES.md §8.2 C2-OD-1) as screens and webhooks show it: which reading, its
/// status (overdue, stillOverdue, cleared), since when and why, and the tier it is for. A notice of its own kind: it
/// pages as an overdue observation, never as a grade alert.
/// </summary>
internal sealed record OverdueNotice(
    Guid NoticeId,
    string PatientId,
    string? Ward,
    string Reading,
    string Status,
    DateTimeOffset Since,
    string? Reason,
    DateTimeOffset? LastObservedAt,
    string? Tier,
    string Summary,
    DateTimeOffset ObservedAt);

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
/// A ward board's first state: the ward's patients, its open alerts, the observations overdue, and the event-log offset
/// the snapshot was taken at (open the stream after it: <c>?after=</c>, or <c>Last-Event-ID</c>).
/// </summary>
internal sealed record BoardSnapshot(string Ward, long Offset, IReadOnlyList<BoardPatient> Patients, IReadOnlyList<Alert> OpenAlerts,
    IReadOnlyList<OverdueNotice> Overdue, IReadOnlyList<AlertResponse> Responses);

/// <summary>
/// A patient on a ward board: the pseudonymous id and the current ASTCT CRS and ICANS grades, each possibly "at least"
/// (a lower bound) or, for CRS, provisional (possible CRS, to confirm).
/// </summary>
internal sealed record BoardPatient(string PatientId, int Crs, int Icans, bool CrsLowerBound = false, bool CrsProvisional = false, bool IcansLowerBound = false);
