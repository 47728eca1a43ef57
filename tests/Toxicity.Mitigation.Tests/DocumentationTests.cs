using System.Runtime.CompilerServices;
using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>docs/mitigation.md stays true to the catalogue: it names every regimen id, and no id the catalogue lacks.</summary>
public sealed class DocumentationTests
{
    [Fact]
    public void The_mitigation_document_lists_exactly_the_catalogue_ids()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "mitigation.md"));
        var documented = System.Text.RegularExpressions.Regex.Matches(text, @"^\| `([a-z0-9-]+)` \|", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value);

        Assert.Equal(RegimenCatalogue.All.Select(r => r.Id).Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
