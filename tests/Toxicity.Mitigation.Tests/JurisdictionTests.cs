using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// CLINICAL-RULES.md §5.13: every catalogue row names the label it reproduces, and a site's calendar holds the rows of
/// its jurisdiction only (plus neutral rows).
/// </summary>
public sealed class JurisdictionTests
{
    private static IEnumerable<(string Row, Jurisdiction Jurisdiction)> Rows(Regimen r) =>
        new[] { ($"{r.Id}", r.Jurisdiction) }
            .Concat(r.Doses.Select(d => ($"{r.Id} dose {d.Label}", d.Jurisdiction)))
            .Concat(r.Doses.SelectMany(d => (d.Premedication ?? []).SelectMany(p => new[] { p }.Concat(p.Alternatives ?? []))
                .Select(p => ($"{r.Id} {d.Label} premedication {p.Drug}", p.Jurisdiction))))
            .Concat(r.Doses.SelectMany(d => (d.Monitoring ?? []).Select(m => ($"{r.Id} {d.Label} monitoring {m.Requirement}", m.Jurisdiction))))
            .Concat((r.DelayRules ?? []).Select(d => ($"{r.Id} restart {d.LastDoseLabel} {d.Window}", d.Jurisdiction)));

    [Fact]
    public void Every_row_of_every_entry_is_tagged_with_a_jurisdiction()
    {
        var untagged = RegimenCatalogue.All.SelectMany(Rows).Where(r => r.Jurisdiction == Jurisdiction.None).Select(r => r.Row).ToList();

        Assert.Empty(untagged);
    }

    [Theory]
    [InlineData(Jurisdiction.Us)]
    [InlineData(Jurisdiction.Eu)]
    [InlineData(Jurisdiction.Ch)]
    public void A_site_plan_holds_only_rows_of_its_jurisdiction_or_neutral_ones(Jurisdiction site)
    {
        foreach (var regimen in RegimenCatalogue.All.Where(r => TreatmentPlanner.OnLabelAt(r, site)))
        {
            var plan = TreatmentPlanner.Plan(regimen, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 4, site);
            Assert.NotEmpty(plan.Doses);
            var rows = plan.Doses.SelectMany(d => d.Premedication.Select(p => (p.Item.Drug, p.Item.Jurisdiction))
                .Concat(d.Monitoring.Select(m => (m.Requirement, m.Jurisdiction))));

            Assert.All(rows, r => Assert.True((r.Jurisdiction & (site | Jurisdiction.Neutral)) != 0, $"{regimen.Id} at {site}: {r.Item1} is {r.Jurisdiction}"));
        }
    }

    [Fact]
    public void Glofitamab_Swiss_hospitalisation_rows_are_shown_at_a_Swiss_site_only()
    {
        var swiss = TreatmentPlanner.Plan(Glofitamab.Regimens[0], CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 2, Jurisdiction.Ch);
        var us = TreatmentPlanner.Plan(Glofitamab.Regimens[0], CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 2, Jurisdiction.Us);
        var eu = TreatmentPlanner.Plan(Glofitamab.Regimens[0], CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 2, Jurisdiction.Eu);

        Assert.Contains(swiss.Doses[1].Monitoring, m => m.Requirement.StartsWith("Hospitalise during the infusion of step-up dose 1", StringComparison.Ordinal));
        Assert.All(new[] { us, eu }, plan =>
        {
            Assert.DoesNotContain(plan.Doses.SelectMany(d => d.Monitoring), m => m.Requirement.StartsWith("Hospitalise", StringComparison.Ordinal));
            Assert.Contains(plan.Doses[1].Monitoring, m => m.Requirement.Contains("consult the Columvi label §2 (US) / §4.2 (EU)", StringComparison.Ordinal));
        });
        Assert.Contains(eu.Doses[1].Monitoring, m => m.Requirement.StartsWith("At least 1 dose of tocilizumab", StringComparison.Ordinal));
        Assert.DoesNotContain(us.Doses[1].Monitoring, m => m.Requirement.StartsWith("At least 1 dose of tocilizumab", StringComparison.Ordinal));
    }

    [Fact]
    public void Epcoritamab_tocilizumab_before_cycle_1_is_an_EU_row_and_the_post_dose_corticosteroid_is_never_a_number()
    {
        var eu = TreatmentPlanner.Plan(Epcoritamab.Dlbcl, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 2, Jurisdiction.Eu);
        var us = TreatmentPlanner.Plan(Epcoritamab.Dlbcl, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 2, Jurisdiction.Us);

        Assert.All(eu.Doses.Where(d => d.Cycle == 1), d => Assert.Contains(d.Monitoring, m => m.Requirement.Contains("tocilizumab", StringComparison.Ordinal)));
        Assert.All(eu.Doses.Where(d => d.Cycle == 2), d => Assert.DoesNotContain(d.Monitoring, m => m.Requirement.Contains("tocilizumab", StringComparison.Ordinal)));
        Assert.All(us.Doses, d => Assert.DoesNotContain(d.Monitoring, m => m.Requirement.Contains("tocilizumab", StringComparison.Ordinal)));
        var post = Assert.Single(us.Doses[0].Premedication, p => p.Item.Drug.StartsWith("post-medication", StringComparison.Ordinal));
        Assert.Null(post.Amount);
        Assert.Contains("consult", post.Item.NotEncoded, StringComparison.Ordinal);
    }

    [Fact]
    public void Blinatumomab_Hong_Kong_premedication_is_never_shown_at_a_US_EU_or_Swiss_site()
    {
        foreach (var site in Jurisdictions.Sites)
        {
            foreach (var regimen in Blinatumomab.Regimens)
            {
                var plan = TreatmentPlanner.Plan(regimen, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 2, site);
                Assert.DoesNotContain(plan.Doses.SelectMany(d => d.Premedication), p => p.Item.Jurisdiction == Jurisdiction.Hk);
            }
        }
    }

    [Fact]
    public void A_dose_row_read_only_in_another_label_is_shown_with_a_warning_to_confirm_it_and_the_rest_of_its_rows_are_not()
    {
        // Glofitamab C1D15 10 mg is read in the US PI only (§5.13): an EU calendar keeps the dose, says so, and shows
        // only the EU premedication timing, never the US-only rows.
        var eu = TreatmentPlanner.Plan(Glofitamab.Regimens[0], CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 3, Jurisdiction.Eu);
        var us = TreatmentPlanner.Plan(Glofitamab.Regimens[0], CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 3, Jurisdiction.Us);

        Assert.Equal(us.Doses.Select(d => (d.Date, d.Label, d.Amount)), eu.Doses.Select(d => (d.Date, d.Label, d.Amount)));
        var c1d15 = eu.Doses.Single(d => d.Cycle == 1 && d.Day == 15);
        Assert.Contains("read in the US label only", c1d15.Warning, StringComparison.Ordinal);
        Assert.Contains("confirm it against the EU label", c1d15.Warning, StringComparison.Ordinal);
        Assert.Null(eu.Doses.Single(d => d.Cycle == 1 && d.Day == 8).Warning);
        Assert.Null(us.Doses.Single(d => d.Cycle == 1 && d.Day == 15).Warning);
    }

    [Fact]
    public void A_dose_whose_premedication_rows_are_all_of_another_label_says_to_consult_the_label_instead()
    {
        // Blinatumomab R/R premedication is US (and HK): an EU site gets the schedule (US + neutral review) and a
        // not-encoded premedication item, never the US or Hong Kong doses.
        var regimen = Blinatumomab.Regimens[0];
        var eu = TreatmentPlanner.Plan(regimen, CalendarAssert.Cycle1Day1, CalendarAssert.Adult, 1, Jurisdiction.Eu);

        var first = eu.Doses[0];
        var item = Assert.Single(first.Premedication);
        Assert.Null(item.Amount);
        Assert.Contains("not encoded for this site's jurisdiction (EU)", item.Item.NotEncoded, StringComparison.Ordinal);
        Assert.Contains("consult the label", item.Item.NotEncoded, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("odronextamab-fl", Jurisdiction.Us, false)]
    [InlineData("odronextamab-fl", Jurisdiction.Eu, true)]
    [InlineData("epcoritamab-dlbcl-2-step", Jurisdiction.Ch, false)]
    [InlineData("epcoritamab-dlbcl-2-step", Jurisdiction.Eu, true)]
    [InlineData("glofitamab-monotherapy", Jurisdiction.Ch, true)]
    [InlineData("blinatumomab-mrd-ball-45kg-and-over", Jurisdiction.Eu, false)]
    public void A_site_plans_only_regimens_on_label_under_its_jurisdiction(string id, Jurisdiction site, bool onLabel) =>
        Assert.Equal(onLabel, TreatmentPlanner.OnLabelAt(RegimenCatalogue.Find(id)!, site));

    [Theory]
    [InlineData("US", Jurisdiction.Us)]
    [InlineData("eu", Jurisdiction.Eu)]
    [InlineData("CH", Jurisdiction.Ch)]
    [InlineData("HK", null)]
    [InlineData("neutral", null)]
    [InlineData("", null)]
    public void A_site_setting_is_US_EU_or_CH(string code, Jurisdiction? expected) =>
        Assert.Equal(expected, Jurisdictions.Site(code));
}
