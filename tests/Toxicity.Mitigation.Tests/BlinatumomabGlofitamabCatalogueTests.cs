using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>Catalogue-wide checks, and the source discipline of the blinatumomab and glofitamab entries (CLINICAL-RULES.md §0.1).</summary>
public sealed class BlinatumomabGlofitamabCatalogueTests
{
    private static IEnumerable<Regimen> Ours => [.. Blinatumomab.Regimens, .. Glofitamab.Regimens];

    [Fact]
    public void BlinatumomabGlofitamab_every_catalogue_regimen_and_dose_rule_has_a_source()
    {
        Assert.All(RegimenCatalogue.All, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Source), r.Id);
            Assert.All(r.Doses, d => Assert.False(string.IsNullOrWhiteSpace(d.Source), $"{r.Id} {d.Label}"));
        });
    }

    [Fact]
    public void BlinatumomabGlofitamab_catalogue_ids_are_unique_and_kebab_case()
    {
        var ids = RegimenCatalogue.All.Select(r => r.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", id));
    }

    [Fact]
    public void BlinatumomabGlofitamab_entries_are_in_the_catalogue()
    {
        string[] expected =
        [
            "blinatumomab-rr-ball-45kg-and-over",
            "blinatumomab-rr-ball-under-45kg",
            "blinatumomab-mrd-ball-45kg-and-over",
            "blinatumomab-mrd-ball-under-45kg",
            "blinatumomab-nhl-investigational",
            "glofitamab-monotherapy",
        ];

        Assert.Equal(expected, Ours.Select(r => r.Id));
        Assert.All(expected, id => Assert.NotNull(RegimenCatalogue.Find(id)));
    }

    [Fact]
    public void BlinatumomabGlofitamab_every_source_string_cites_a_clinical_rules_section()
    {
        var sources = Ours.SelectMany(r =>
            new[] { r.Source }
                .Concat(r.Doses.Select(d => d.Source))
                .Concat(r.Doses.SelectMany(d => d.Premedication ?? []).Select(p => p.Source))
                .Concat(r.Doses.SelectMany(d => d.Monitoring ?? []).Select(m => m.Source))
                .Concat((r.DelayRules ?? []).Select(x => x.Source)));

        Assert.All(sources, s => Assert.Matches(@"^CLINICAL-RULES\.md §\d+(\.\d+)?", s));
    }

    [Fact]
    public void BlinatumomabGlofitamab_a_premedication_without_an_amount_says_what_to_consult()
    {
        var items = Ours.SelectMany(r => r.Doses).SelectMany(d => d.Premedication ?? []);

        Assert.All(items, p =>
        {
            if (p.Amount is null)
            {
                Assert.False(string.IsNullOrWhiteSpace(p.NotEncoded), p.Drug);
                Assert.Contains("consult", p.NotEncoded, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                Assert.Null(p.NotEncoded);
            }
        });
    }

    [Fact]
    public void BlinatumomabGlofitamab_only_the_nhl_entry_is_investigational()
    {
        Assert.Equal(
            ["blinatumomab-nhl-investigational"],
            Ours.Where(r => r.Status == RegimenStatus.Investigational).Select(r => r.Id));
    }
}
