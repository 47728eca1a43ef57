using System.Text.Json;
using System.Text.Json.Serialization;

namespace Toxicity.Mitigation.Regimens;

/// <summary>
/// Whose label a catalogue or advice row reproduces (CLINICAL-RULES.md §5.13): the US PI, the EU SmPC, the Swiss
/// Fachinformation, the Hong Kong label, or neutral (the seed paper, reviews and consensus guidance: not a label). A site
/// runs under one jurisdiction (<c>Mitigation:Jurisdiction</c>); a label row is never shown as advice at a site of another
/// one. A row may reproduce several labels (e.g. <c>US, EU</c> where both say the same).
/// </summary>
[Flags]
[JsonConverter(typeof(JurisdictionJsonConverter))]
public enum Jurisdiction
{
    /// <summary>Not tagged: a catalogue test refuses it.</summary>
    None = 0,
    Us = 1,
    Eu = 2,
    Ch = 4,
    Hk = 8,
    Neutral = 16,
}

/// <summary>Helpers of <see cref="Jurisdiction"/>.</summary>
public static class Jurisdictions
{
    /// <summary>The jurisdictions a site may run under.</summary>
    public static IReadOnlyList<Jurisdiction> Sites { get; } = [Jurisdiction.Us, Jurisdiction.Eu, Jurisdiction.Ch];

    /// <summary>Whether a row of <paramref name="row"/> is shown at a site of <paramref name="site"/> (null: every row, as the catalogue lists them).</summary>
    public static bool ShownAt(this Jurisdiction row, Jurisdiction? site) =>
        site is not { } s || (row & (s | Jurisdiction.Neutral)) != 0;

    /// <summary>The codes of <paramref name="value"/>: <c>US</c>, <c>EU</c>, <c>CH</c>, <c>HK</c>, <c>neutral</c>.</summary>
    public static IReadOnlyList<string> Codes(this Jurisdiction value) =>
        [.. Enum.GetValues<Jurisdiction>().Where(j => j != Jurisdiction.None && value.HasFlag(j)).Select(Code)];

    /// <summary>The site setting's value for <paramref name="code"/> (<c>US</c>, <c>EU</c>, <c>CH</c>), or null.</summary>
    public static Jurisdiction? Site(string? code) => Sites.Cast<Jurisdiction?>().FirstOrDefault(j => string.Equals(Code(j!.Value), code, StringComparison.OrdinalIgnoreCase));

    private static string Code(Jurisdiction value) => value == Jurisdiction.Neutral ? "neutral" : value.ToString().ToUpperInvariant();
}

/// <summary>Writes a <see cref="Jurisdiction"/> as the list of its codes, e.g. <c>["US","EU"]</c>.</summary>
public sealed class JurisdictionJsonConverter : JsonConverter<Jurisdiction>
{
    public override Jurisdiction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = Jurisdiction.None;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("a jurisdiction is an array of codes");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var code = reader.GetString();
            value |= code == "neutral" ? Jurisdiction.Neutral : Jurisdictions.Site(code) ?? (code == "HK" ? Jurisdiction.Hk : throw new JsonException($"unknown jurisdiction '{code}'"));
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, Jurisdiction value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var code in value.Codes())
        {
            writer.WriteStringValue(code);
        }

        writer.WriteEndArray();
    }
}

/// <summary>
/// The grading scale a label's row is written on (issue 15, CLINICAL-RULES.md §5): the row fires on that scale's grade
/// change. Where the product grades no such scale (a CTCAE neurological-toxicity row), ASTCT ICANS stands in, with a
/// visible note saying so.
/// </summary>
[JsonConverter(typeof(LabelScaleJsonConverter))]
public enum LabelScale
{
    AstctCrs,
    AstctIcans,
    CtcaeV5Crs,
    /// <summary>CTCAE neurological toxicity (the version the label names, e.g. v4.03): ASTCT ICANS stands in, with a note.</summary>
    CtcaeNeurotoxicity,
    /// <summary>The label's own CRS scale (e.g. Kimmtrak's moderate / severe / life-threatening, ≈ ASTCT 2 / 3 / 4).</summary>
    LabelOwnCrs,
    /// <summary>The label's CRS scale was not read (its footnote): ASTCT CRS stands in, with a note to confirm against the label.</summary>
    CrsScaleNotRead,
}

/// <summary>Writes a <see cref="LabelScale"/> in camelCase (<c>ctcaeV5Crs</c>), as the contracts spell it.</summary>
public sealed class LabelScaleJsonConverter() : JsonStringEnumConverter<LabelScale>(JsonNamingPolicy.CamelCase);

/// <summary>Tagging helpers for catalogue entries whose rows mostly reproduce one label.</summary>
public static class RegimenJurisdiction
{
    /// <summary>
    /// <paramref name="regimen"/> with every row not tagged yet (doses, premedication and its alternatives, monitoring,
    /// delay rules) and the entry itself tagged <paramref name="jurisdiction"/>: for an entry all of whose rows reproduce
    /// one label (CLINICAL-RULES.md §5.13), beside the rows tagged otherwise one by one.
    /// </summary>
    public static Regimen WithUntaggedRowsOf(this Regimen regimen, Jurisdiction jurisdiction)
    {
        ArgumentNullException.ThrowIfNull(regimen);
        Jurisdiction Or(Jurisdiction row) => row == Jurisdiction.None ? jurisdiction : row;
        Premedication Tag(Premedication p) => p with
        {
            Jurisdiction = Or(p.Jurisdiction),
            Alternatives = p.Alternatives is null ? null : [.. p.Alternatives.Select(Tag)],
        };
        return regimen with
        {
            Jurisdiction = Or(regimen.Jurisdiction),
            Doses = [.. regimen.Doses.Select(d => d with
            {
                Jurisdiction = Or(d.Jurisdiction),
                Premedication = d.Premedication is null ? null : [.. d.Premedication.Select(Tag)],
                Monitoring = d.Monitoring is null ? null : [.. d.Monitoring.Select(m => m with { Jurisdiction = Or(m.Jurisdiction) })],
            })],
            DelayRules = regimen.DelayRules is null ? null : [.. regimen.DelayRules.Select(r => r with { Jurisdiction = Or(r.Jurisdiction) })],
        };
    }
}
