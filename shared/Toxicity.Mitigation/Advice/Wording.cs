using System.Globalization;

namespace Toxicity.Mitigation;

/// <summary>
/// The wording every advice item shares (CLINICAL-RULES.md §4 and §5.6): advice is worded for a clinician to confirm,
/// rows not verified in a source become "Not encoded: consult …", and every source names its CLINICAL-RULES.md section.
/// </summary>
internal static class Wording
{
    /// <summary>General guidance (§4.1): "Consider (clinician to confirm): …".</summary>
    public static string Consider(string text) => $"Consider (clinician to confirm): {text}";

    /// <summary>A label rule (§5): "Per the &lt;drug&gt; label (clinician to confirm): …".</summary>
    public static string PerLabel(string label, string text) => $"Per the {label} label (clinician to confirm): {text}";

    /// <summary>A ❌ row or a gap (§5.6): "Not encoded: consult …", never a guessed action.</summary>
    public static string NotEncoded(string consult) => $"Not encoded: consult {consult}";

    /// <summary>A source: "CLINICAL-RULES.md &lt;sections&gt; (&lt;source ids&gt;)".</summary>
    public static string Cite(string sections, string ids) => $"CLINICAL-RULES.md {sections} ({ids})";

    /// <summary>A computed amount, at most two decimals, invariant culture.</summary>
    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>"min(rate × BSA, cap) mg", with the capping said when it applied.</summary>
    public static string BsaDose(double ratePerSquareMetre, double cap, double bodySurfaceAreaM2)
    {
        var uncapped = ratePerSquareMetre * bodySurfaceAreaM2;
        return uncapped > cap
            ? $"for {Number(bodySurfaceAreaM2)} m²: {Number(cap)} mg per dose (capped at {Number(cap)} mg)"
            : $"for {Number(bodySurfaceAreaM2)} m²: {Number(uncapped)} mg per dose";
    }

    /// <summary>A time span for a clinician: "9 days 4 h", "5 h 30 min".</summary>
    public static string Duration(TimeSpan span)
    {
        var parts = new List<string>();
        if (span.Days != 0)
        {
            parts.Add(span.Days == 1 ? "1 day" : $"{span.Days} days");
        }

        if (span.Hours != 0)
        {
            parts.Add($"{span.Hours} h");
        }

        if (span.Minutes != 0 || parts.Count == 0)
        {
            parts.Add($"{span.Minutes} min");
        }

        return string.Join(' ', parts);
    }
}
