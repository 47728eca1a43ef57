using System.Text;

namespace Toxicity.Alerting;

/// <summary>A scale's grade as last published: the number, its rule set /2 marks, the rule set, when it holds from.</summary>
public sealed record PublishedGrade(int Grade, bool LowerBound, bool Provisional, bool Stale, string RuleSet, DateTimeOffset At);

/// <summary>One item of the latest advice: its text for a clinician to confirm, and its citation.</summary>
public sealed record AdviceLine(string Text, string Source);

/// <summary>A CDS Hooks card's words: its summary (at most 140 characters), indicator, detail (markdown) and source label.</summary>
public sealed record CdsCardText(string Summary, string Indicator, string Detail, string SourceLabel);

/// <summary>
/// What Toxicity's CDS Hooks <c>patient-view</c> card says (docs/cds-hooks.md): the patient's current ASTCT CRS and
/// ICANS grades as last published, marked as the board marks them ("at least", "possible CRS, to confirm", stale), and
/// the latest advice with its citations. The indicator follows the default alert policy's thresholds (a project
/// convention, <see cref="AlertPolicy.Default"/>): critical from its critical grades, warning for any grade above 0 or a
/// possible CRS, info otherwise. Pure.
/// </summary>
public static class CdsCards
{
    /// <summary>The CDS Hooks limit on a card's summary.</summary>
    public const int MaxSummary = 140;

    /// <summary>The card for these grades and advice; null when the patient has no grade published (no card is shown).</summary>
    public static CdsCardText? PatientView(PublishedGrade? crs, PublishedGrade? icans, IReadOnlyList<AdviceLine> advice, AlertPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(advice);
        ArgumentNullException.ThrowIfNull(policy);
        if (crs is null && icans is null)
        {
            return null;
        }

        var indicator = (crs?.Grade ?? 0) >= policy.CriticalFromCrs || (icans?.Grade ?? 0) >= policy.CriticalFromIcans ? "critical"
            : (crs?.Grade ?? 0) > 0 || (icans?.Grade ?? 0) > 0 || crs?.Provisional == true ? "warning"
            : "info";
        var summary = $"{Words("CRS", crs)} · {Words("ICANS", icans)} (ASTCT)";
        if (summary.Length > MaxSummary)
        {
            summary = summary[..(MaxSummary - 1)] + "…";
        }

        var detail = new StringBuilder()
            .Append("**Current grades** (decision support, for a clinician to confirm):\n\n")
            .Append(Line("CRS", crs))
            .Append(Line("ICANS", icans));
        if (advice.Count > 0)
        {
            detail.Append("\n**Latest advice**:\n\n");
            foreach (var line in advice)
            {
                detail.Append("- ").Append(Markdown(line.Text)).Append(" (").Append(Markdown(line.Source)).Append(")\n");
            }
        }

        var ruleSets = string.Join(", ", new[] { crs?.RuleSet, icans?.RuleSet }.OfType<string>().Distinct(StringComparer.Ordinal));
        return new CdsCardText(summary, indicator, detail.ToString(), $"Toxicity grading ({ruleSets})");
    }

    private static string Words(string scale, PublishedGrade? grade) => grade is null
        ? $"{scale} not graded"
        : $"{scale} {(grade.LowerBound ? "at least " : "grade ")}{grade.Grade}{(grade.Provisional ? ", possible CRS, to confirm" : "")}{(grade.Stale ? ", stale" : "")}";

    private static string Line(string scale, PublishedGrade? grade) => grade is null
        ? $"- {scale}: no grade published\n"
        : $"- {Words(scale, grade)}, since {grade.At.ToUniversalTime():yyyy-MM-dd HH:mm} UTC, rule set {grade.RuleSet}\n";

    /// <summary>Text as markdown shows it literally: the characters markdown would read as formatting escaped.</summary>
    private static string Markdown(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '[' or ']' or '<' or '>' or '#' or '`')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
