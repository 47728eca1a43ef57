using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

namespace Toxicity.Grading.Tests;

/// <summary>
/// docs/grading-criteria.md lists every criterion code with the sentence a clinician sees; this test keeps the
/// list and the engine the same (on a difference it writes the expected table beside the doc).
/// </summary>
public sealed class CriteriaDocumentationTests
{
    private const string Begin = "<!-- criteria:begin (generated from Toxicity.Grading.Criteria; CriteriaDocumentationTests checks it) -->";
    private const string End = "<!-- criteria:end -->";

    [Fact]
    public void Every_criterion_code_is_unique() =>
        Assert.Equal(Criteria.All.Count(), Criteria.All.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count());

    [Fact]
    public void The_criteria_document_lists_every_code_with_its_sentence()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "grading-criteria.md");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} has no generated section between '{Begin}' and '{End}'");

        var expected = Table();
        if (text[(start + Begin.Length)..end] != expected)
        {
            File.WriteAllText(path + ".received", expected);
            Assert.Fail($"{path} differs from the engine's criteria; the expected table is in {path}.received");
        }
    }

    private static string Table()
    {
        var table = new StringBuilder("\n| code | what it means |\n|---|---|\n");
        foreach (var criterion in Criteria.All)
        {
            table.Append("| `").Append(criterion.Code).Append("` | ").Append(criterion.Description).Append(" |\n");
        }

        return table.ToString();
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
