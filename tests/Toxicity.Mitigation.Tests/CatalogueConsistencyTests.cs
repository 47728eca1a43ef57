using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// Consistency of the mosunetuzumab, epcoritamab and odronextamab catalogue entries (§5.3-§5.5) and of the newer T-cell
/// engagers (§5.7-§5.12: teclistamab, elranatamab, talquetamab, linvoseltamab, tarlatamab, tebentafusp).
/// </summary>
public sealed class CatalogueConsistencyTests
{
    private static readonly IReadOnlyList<Regimen> Newer =
    [
        .. Teclistamab.Regimens, .. Elranatamab.Regimens, .. Talquetamab.Regimens, .. Linvoseltamab.Regimens, .. Tarlatamab.Regimens,
        .. Tebentafusp.Regimens,
    ];

    private static readonly IReadOnlyList<Regimen> Entries =
        [.. Mosunetuzumab.Regimens, .. Epcoritamab.Regimens, .. Odronextamab.Regimens, .. Newer];

    [Fact]
    public void The_entries_are_the_expected_ids_each_unique_and_found_in_the_catalogue()
    {
        Assert.Equal(
            [
                "mosunetuzumab", "epcoritamab-dlbcl-2-step", "epcoritamab-fl-3-step", "odronextamab-fl", "odronextamab-dlbcl",
                "teclistamab", "teclistamab-q2w", "elranatamab", "elranatamab-q2w", "talquetamab-weekly", "talquetamab-biweekly",
                "linvoseltamab", "tarlatamab", "tebentafusp",
            ],
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
    public void Every_dose_a_delay_rule_gives_or_resumes_at_is_a_dose_label_of_its_regimen()
    {
        Assert.All(Entries, r => Assert.All(r.DelayRules ?? [], d =>
        {
            Assert.All(d.Give ?? [], label => Assert.Contains(label, r.Doses.Select(x => x.Label)));
            if (d.ThenResume is { } resume && resume != DelayRule.NextCycle)
            {
                Assert.Contains(resume, r.Doses.Select(x => x.Label));
            }
        }));
    }

    [Fact]
    public void The_rows_of_one_last_dose_neither_overlap_nor_leave_a_gap_unless_the_boundary_is_said_to_be_uncertain()
    {
        foreach (var r in Entries)
        {
            foreach (var rows in (r.DelayRules ?? []).GroupBy(d => d.LastDoseLabel, StringComparer.Ordinal))
            {
                var ordered = rows.OrderBy(d => d.MoreThan ?? TimeSpan.MinValue).ToList();
                foreach (var (before, after) in ordered.Zip(ordered.Skip(1)))
                {
                    var at = $"{r.Id} {rows.Key}: {before.Window} / {after.Window}";
                    Assert.True(before.AtMost is not null && after.MoreThan is not null, at);
                    Assert.True(before.AtMost <= after.MoreThan, $"{at}: overlap");
                    if (before.AtMost != after.MoreThan)
                    {
                        Assert.Contains("uncertain", before.Window, StringComparison.Ordinal);
                        Assert.Contains("consult the label", before.Action, StringComparison.Ordinal);
                        Assert.Contains(r.NotEncoded ?? [], t => t.Contains("uncertain", StringComparison.Ordinal));
                    }
                }
            }
        }
    }

    [Fact]
    public void A_not_encoded_delay_rule_gives_nothing_and_never_moves_the_calendar()
    {
        var rules = Entries.SelectMany(r => r.DelayRules ?? []).Where(d => !d.Encoded).ToList();

        Assert.NotEmpty(rules);
        Assert.All(rules, d =>
        {
            Assert.StartsWith("Not encoded: consult", d.Action, StringComparison.Ordinal);
            Assert.Equal(((IReadOnlyList<string>?)null, (string?)null, (TimeSpan?)null, false), (d.Give, d.ThenResume, d.ResumeAfter, d.RepeatsStepUp));
        });
    }

    [Fact]
    public void The_newer_entries_have_no_label_cycles_except_tarlatamab_and_every_weight_based_dose_is_by_actual_body_weight()
    {
        Assert.Equal(["tarlatamab"], Newer.Where(r => r.LabelCycles).Select(r => r.Id));
        Assert.Equal(
            ["teclistamab", "teclistamab-q2w", "talquetamab-weekly", "talquetamab-biweekly"],
            Newer.Where(r => r.Doses.Any(d => d.Amount.PerKg is not null)).Select(r => r.Id));
        Assert.All(Newer.Where(r => r.Doses.Any(d => d.Amount.PerKg is not null)), r =>
            Assert.All(r.Doses, d => Assert.Equal((null, null, null, "mg"), (d.Amount.Value, d.Amount.PerSquareMetre, d.Amount.Cap, d.Amount.Unit))));
        Assert.All(Tebentafusp.Regimens.SelectMany(r => r.Doses), d => Assert.Equal("mcg", d.Amount.Unit));
    }

    [Fact]
    public void Every_newer_not_encoded_monitoring_row_says_what_to_consult_and_every_source_names_its_section()
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["teclistamab"] = "§5.7", ["elranatamab"] = "§5.8", ["talquetamab"] = "§5.9", ["linvoseltamab"] = "§5.10", ["tarlatamab"] = "§5.11",
            ["tebentafusp"] = "§5.12",
        };
        Assert.All(Newer, r =>
        {
            var section = $"CLINICAL-RULES.md {sections[r.Drug]}";
            Assert.StartsWith(section, r.Source, StringComparison.Ordinal);
            Assert.All(r.Doses, d => Assert.StartsWith(section, d.Source, StringComparison.Ordinal));
            Assert.All(r.Doses.SelectMany(d => d.Premedication ?? []), p => Assert.StartsWith(section, p.Source, StringComparison.Ordinal));
            Assert.All(r.Doses.SelectMany(d => d.Monitoring ?? []), m =>
            {
                Assert.StartsWith(section, m.Source, StringComparison.Ordinal);
                if (m.Requirement.Contains("not encoded", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.Contains("consult", m.Requirement, StringComparison.Ordinal);
                }
            });
            Assert.All(r.DelayRules ?? [], d => Assert.StartsWith(section, d.Source, StringComparison.Ordinal));
        });

        // Tocilizumab availability is ❌ for every newer label but Kimmtrak's ("immediate access to medications and resuscitative
        // equipment", ⚠️): each entry with a step-up says so with its step-up doses.
        Assert.All(Newer.Where(r => r.Doses.Any(d => d.Role == DoseRole.StepUp)), r =>
            Assert.All(r.Doses.Where(d => d.Role == DoseRole.StepUp), d => Assert.Contains(d.Monitoring ?? [], m =>
                m.Requirement.StartsWith("Tocilizumab availability: not encoded: consult the label", StringComparison.Ordinal)
                || m.Requirement.Contains("Immediate access to medications and resuscitative equipment", StringComparison.Ordinal))));
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
        var premedication = Entries.SelectMany(r => r.Doses).SelectMany(d => d.Premedication ?? [])
            .SelectMany(p => new[] { p }.Concat(p.Alternatives ?? [])).Where(p => p.NotEncoded is not null).ToList();

        Assert.NotEmpty(premedication);
        Assert.All(premedication, p =>
        {
            Assert.Null(p.Amount);
            Assert.Contains("consult", p.NotEncoded, StringComparison.Ordinal);
        });
        Assert.All(Entries.SelectMany(r => r.NotEncoded ?? []), t => Assert.Matches("(?i)consult|see EPKINLY|take it from|clinician decides", t));
    }

    [Fact]
    public void Every_newer_premedication_without_an_amount_is_not_encoded_text_and_none_names_a_dose()
    {
        var items = Newer.SelectMany(r => r.Doses).SelectMany(d => d.Premedication ?? []).ToList();

        Assert.All(items.Where(p => p.Amount is null), p =>
        {
            Assert.NotNull(p.NotEncoded);
            Assert.DoesNotMatch(@"\d\s*(mg|mcg|µg|mL|L\b|liter|litre)", p.NotEncoded!);
        });
        Assert.All(items.Where(p => p.Amount is not null), p => Assert.Null(p.NotEncoded));
    }
}
