namespace Toxicity.Mitigation;

/// <summary>
/// One item of decision support: a stable code, the text for a clinician to confirm, and its source
/// (a section of CLINICAL-RULES.md and the source ids it cites).
/// </summary>
public sealed record Advice(string Code, string Text, string Source);
