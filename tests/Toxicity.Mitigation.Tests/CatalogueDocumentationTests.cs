using System.Runtime.CompilerServices;
using System.Text;
using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// docs/mitigation.md lists every catalogue entry and every row (doses, premedication, monitoring, restart rows, what
/// is not encoded) with its source, jurisdiction and the scale its label's rows are written on; this test keeps the
/// document and the catalogue the same (on a difference it writes the expected section beside the doc).
/// </summary>
public sealed class CatalogueDocumentationTests
{
    private const string Begin = "<!-- catalogue:begin (generated from RegimenCatalogue; CatalogueDocumentationTests checks it) -->";
    private const string End = "<!-- catalogue:end -->";

    [Fact]
    public void The_mitigation_document_lists_every_entry_and_row_with_its_source_scale_and_jurisdiction()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "mitigation.md");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} has no generated section between '{Begin}' and '{End}'");

        var expected = Document();
        if (text[(start + Begin.Length)..end] != expected)
        {
            File.WriteAllText(path + ".received", expected);
            Assert.Fail($"{path} differs from the catalogue; the expected section is in {path}.received");
        }
    }

    private static string Document()
    {
        var doc = new StringBuilder("\n");
        foreach (var regimen in RegimenCatalogue.All)
        {
            var (crs, neuro, _) = MitigationAdvisor.ScalesOf(regimen.Drug);
            doc.Append("\n### `").Append(regimen.Id).Append("`\n")
                .Append(regimen.Drug).Append(", ").Append(Cell(regimen.Setting)).Append(". ")
                .Append(regimen.Status == RegimenStatus.Label ? "Label regimen" : "Investigational (never advised)")
                .Append("; ").Append(regimen.Route).Append("; on label: ").Append(Codes(regimen.Jurisdiction))
                .Append("; CRS rows on ").Append(Scale(crs)).Append(", neurologic rows on ").Append(Scale(neuro)).Append(".\n")
                .Append("Source: ").Append(Cell(regimen.Source)).Append(".\n\n")
                .Append("| row | content | jurisdiction | source |\n|---|---|---|---|\n");
            foreach (var dose in regimen.Doses)
            {
                var when = $"C{dose.FromCycle}{(dose.ToCycle == dose.FromCycle ? string.Empty : dose.ToCycle is { } to ? $"-C{to}" : "+")} D{dose.Day}"
                    + (dose.ThroughDay is { } through ? $"-{through}" : string.Empty);
                Row(doc, $"dose {when}", $"{dose.Label}: {Amount(dose.Amount)}{(dose.Infusion is { } i ? $"; {i}" : string.Empty)}", dose.Jurisdiction, dose.Source);
                foreach (var p in (dose.Premedication ?? []).SelectMany(p => new[] { p }.Concat(p.Alternatives ?? [])))
                {
                    var content = p.NotEncoded ?? $"{p.Drug} {(p.Amount is { } a ? Amount(a) : string.Empty)} {p.Route}, {p.Timing}".Replace("  ", " ", StringComparison.Ordinal);
                    Row(doc, $"premedication {when}", content + (p.Condition is { } c ? $" (if {c})" : string.Empty), p.Jurisdiction, p.Source);
                }

                foreach (var m in dose.Monitoring ?? [])
                {
                    Row(doc, $"monitoring {when}", m.Requirement + (m.Condition is { } c ? $" (if {c})" : string.Empty), m.Jurisdiction, m.Source);
                }
            }

            foreach (var rule in regimen.DelayRules ?? [])
            {
                Row(doc, $"restart after {rule.LastDoseLabel}", $"{rule.Window}: {rule.Action}", rule.Jurisdiction, rule.Source);
            }

            foreach (var note in regimen.NotEncoded ?? [])
            {
                Row(doc, "not encoded", note, Jurisdiction.Neutral, regimen.Source);
            }
        }

        return doc.ToString();
    }

    private static void Row(StringBuilder doc, string row, string content, Jurisdiction jurisdiction, string source) =>
        doc.Append("| ").Append(row).Append(" | ").Append(Cell(content)).Append(" | ").Append(Codes(jurisdiction)).Append(" | ").Append(Cell(source)).Append(" |\n");

    private static string Codes(Jurisdiction jurisdiction) => string.Join(", ", jurisdiction.Codes());

    private static string Scale(LabelScale scale) => scale switch
    {
        LabelScale.AstctCrs => "ASTCT CRS",
        LabelScale.AstctIcans => "ASTCT ICANS",
        LabelScale.CtcaeV5Crs => "CTCAE v5.0 CRS",
        LabelScale.CtcaeNeurotoxicity => "CTCAE neurotoxicity (ASTCT ICANS stands in, with a note)",
        LabelScale.LabelOwnCrs => "the label's own CRS scale (ASTCT stands in, with a note)",
        _ => "a scale not read (ASTCT stands in, with a note)",
    };

    private static string Amount(Amount amount) => amount switch
    {
        { Value: { } v } => $"{v.ToString(System.Globalization.CultureInfo.InvariantCulture)} {amount.Unit}",
        { PerSquareMetre: { } rate } => $"{rate.ToString(System.Globalization.CultureInfo.InvariantCulture)} {amount.Unit}/m²"
            + (amount.Cap is { } cap ? $" (at most {cap.ToString(System.Globalization.CultureInfo.InvariantCulture)} {amount.Unit})" : string.Empty),
        { PerKg: { } perKg } => $"{perKg.ToString(System.Globalization.CultureInfo.InvariantCulture)} {amount.Unit}/kg actual body weight",
        { RangeLow: { } low, RangeHigh: { } high } => $"{low.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{high.ToString(System.Globalization.CultureInfo.InvariantCulture)} {amount.Unit}",
        _ => amount.Unit,
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
