using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation;

/// <summary>
/// One item of decision support: a stable code, the text for a clinician to confirm, and its source (a section of
/// CLINICAL-RULES.md and the source ids it cites); whose label it reproduces (<see cref="Jurisdiction"/>: neutral for
/// guidance that is no label's) and, for a label row that a grade change triggers, the scale the label writes it on.
/// </summary>
public sealed record Advice(string Code, string Text, string Source, Jurisdiction Jurisdiction = Jurisdiction.Neutral, LabelScale? Scale = null);
