namespace Toxicity.Contracts.V1;

/// <summary>
/// Mitigation advised a clinician what the rules or the drug label suggest after a cause (e.g. a grade
/// change). Decision support: each item is worded for a clinician to confirm and names its source.
/// Published by Mitigation; <see cref="EventId"/> is derived from <see cref="CausedByEventId"/>.
/// </summary>
public sealed record MitigationAdvised(
    Guid EventId,
    string PatientId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    Guid CausedByEventId,
    IReadOnlyList<AdviceItem> Items) : IPatientEvent;

/// <summary>One piece of advice: a stable code, the text for the clinician, and its citation.</summary>
public sealed record AdviceItem(string Code, string Text, string Source);
