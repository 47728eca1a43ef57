namespace Toxicity.Alerting.Service;

/// <summary>An alert as clinicians' screens and the API show it.</summary>
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
    Guid CausedByEventId);

/// <summary>Advice as clinicians' screens show it, beside the alert it follows.</summary>
internal sealed record AdviceNotice(
    Guid AdviceId,
    string PatientId,
    Guid CausedByEventId,
    IReadOnlyList<AdviceNoticeItem> Items);

internal sealed record AdviceNoticeItem(string Code, string Text, string Source);
