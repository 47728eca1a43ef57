using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Toxicity.Grading.V2;
using Xunit;

namespace Toxicity.Grading.Tests.V2;

/// <summary>
/// docs/grading-timeline.md lists every window of rule set astct-2019/2 with its setting, its default and its rule id
/// (CLINICAL-RULES.md §8); this test keeps the list and the code the same, and the defaults those of the handbook.
/// </summary>
public sealed class WindowsDocumentationTests
{
    private const string Begin = "<!-- windows:begin (generated from Toxicity.Grading.V2.GradingWindows; WindowsDocumentationTests checks it) -->";
    private const string End = "<!-- windows:end -->";

    [Fact]
    public void The_defaults_are_the_handbooks()
    {
        var w = GradingWindows.Default;
        Assert.Equal(
            // The last, the correction horizon (C2-CMP-1), is a project convention: longer than every reading's validity.
            [6, 6, 24, 14, 10, 24, 2, 7 * 24, 72, 8, 72, 14 * 24, 24, 72, 14 * 24, 2, 48],
            GradingWindows.Default.All().Select(x => x.Value.TotalHours));
        Assert.Equal(w.All().Count(), GradingWindows.Rules.Select(r => r.Name).Distinct().Count());
        Assert.True(w.CorrectionHorizon > new[] { w.Temperature, w.Hypotensive, w.SupportUnconfirmed, w.NeuroWhileNoIcans, w.NeuroWithIcans, w.Seizure }.Max());
    }

    [Fact]
    public void The_timeline_document_lists_every_window_with_its_setting_default_and_rule()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "grading-timeline.md");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} has no generated section between '{Begin}' and '{End}'");

        var expected = Table();
        if (text[(start + Begin.Length)..end] != expected)
        {
            File.WriteAllText(path + ".received", expected);
            Assert.Fail($"{path} differs from the windows in the code; the expected table is in {path}.received");
        }
    }

    private static string Table()
    {
        var table = new StringBuilder("\n| setting | default | rule | what it bounds |\n|---|---|---|---|\n");
        foreach (var (name, rule, meaning, value) in GradingWindows.Rules)
        {
            var span = value(GradingWindows.Default);
            var shown = span.TotalDays >= 7 && span.TotalDays == Math.Floor(span.TotalDays)
                ? $"{span.TotalDays.ToString(CultureInfo.InvariantCulture)} days"
                : $"{span.TotalHours.ToString(CultureInfo.InvariantCulture)} h";
            table.Append(CultureInfo.InvariantCulture, $"| `Grading:Windows:{name}` | {shown} | {rule} | {meaning} |\n");
        }

        return table.ToString();
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));
}
