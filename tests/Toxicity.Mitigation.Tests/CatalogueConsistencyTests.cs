using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>Consistency of the mosunetuzumab, epcoritamab and odronextamab catalogue entries.</summary>
public sealed class CatalogueConsistencyTests
{
    private static readonly IReadOnlyList<Regimen> Entries =
        [.. Mosunetuzumab.Regimens, .. Epcoritamab.Regimens, .. Odronextamab.Regimens];

    [Fact]
    public void The_entries_are_the_five_expected_ids_each_unique_and_found_in_the_catalogue()
    {
        Assert.Equal(
            ["mosunetuzumab", "epcoritamab-dlbcl-2-step", "epcoritamab-fl-3-step", "odronextamab-fl", "odronextamab-dlbcl"],
            Entries.Select(r => r.Id));
        Assert.Equal(RegimenCatalogue.All.Count, RegimenCatalogue.All.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Entries, r => Assert.Same(r, RegimenCatalogue.Find(r.Id)));
    }

    [Fact]
    public void Every_delay_rule_names_a_dose_label_of_its_regimen()
    {
        Assert.All(Entries, r => Assert.All(r.DelayRules ?? [], d =>
            Assert.Contains(d.LastDoseLabel, r.Doses.Select(x => x.Label))));
    }

    [Fact]
    public void Every_source_cites_a_section_of_CLINICAL_RULES()
    {
        var sources = Entries.SelectMany(r =>
            new[] { r.Source }
                .Concat(r.Doses.Select(d => d.Source))
                .Concat(r.Doses.SelectMany(d => d.Premedication ?? []).SelectMany(p => new[] { p }.Concat(p.Alternatives ?? [])).Select(p => p.Source))
                .Concat(r.Doses.SelectMany(d => d.Monitoring ?? []).Select(m => m.Source))
                .Concat((r.DelayRules ?? []).Select(d => d.Source)));

        Assert.All(sources, s => Assert.Matches(@"^CLINICAL-RULES\.md §[0-9]\.[0-9]", s));
    }

    [Fact]
    public void Every_not_encoded_item_has_no_number_and_says_what_to_consult()
    {
        var premedication = Entries.SelectMany(r => r.Doses).SelectMany(d => d.Premedication ?? []).Where(p => p.NotEncoded is not null).ToList();

        Assert.NotEmpty(premedication);
        Assert.All(premedication, p =>
        {
            Assert.Null(p.Amount);
            Assert.Contains("consult", p.NotEncoded, StringComparison.Ordinal);
        });
        Assert.All(Entries.SelectMany(r => r.NotEncoded ?? []), t => Assert.Matches("(?i)consult|see EPKINLY|take it from|clinician decides", t));
    }
}
