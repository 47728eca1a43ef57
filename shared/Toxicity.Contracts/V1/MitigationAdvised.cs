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

/// <summary>
/// One piece of advice: a stable code, the text for the clinician, and its citation. Appended in issue 15 (null from
/// earlier publishers): <see cref="Jurisdictions"/>, whose labels the item reproduces (<c>US</c>, <c>EU</c>, <c>CH</c>,
/// <c>HK</c>, or <c>neutral</c> for guidance that is no label's); <see cref="Scale"/>, for a label row a grade change
/// triggered, the scale the label writes it on (<c>astctCrs</c>, <c>astctIcans</c>, <c>ctcaeV5Crs</c>,
/// <c>ctcaeNeurotoxicity</c>, <c>labelOwnCrs</c>, <c>crsScaleNotRead</c>).
/// </summary>
public sealed record AdviceItem(string Code, string Text, string Source, IReadOnlyList<string>? Jurisdictions = null, string? Scale = null);
