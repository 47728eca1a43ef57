using Toxicity.Mitigation.Regimens;
using Xunit;

namespace Toxicity.Mitigation.Tests;

/// <summary>
/// A restart-table edge of a catalogue regimen: at <c>days</c> days plus <c>minutes</c> minutes since the last dose, the
/// one delay rule whose window is <c>window</c> covers it (null: none does), and the advisor says the same.
/// </summary>
internal static class DelayEdgeAssert
{
    public static void Covers(string regimenId, string lastDose, int days, int minutes, string? window)
    {
        var regimen = RegimenCatalogue.Find(regimenId);
        Assert.NotNull(regimen);
        var elapsed = TimeSpan.FromDays(days) + TimeSpan.FromMinutes(minutes);

        var rules = (regimen.DelayRules ?? []).Where(r => r.LastDoseLabel == lastDose && r.Covers(elapsed)).ToList();
        var advice = MitigationAdvisor.OnDoseDelayed(new PatientContext(regimen, 70, 1.8, 55), lastDose, elapsed);
        Patients.AssertWellFormed(advice);

        var item = Assert.Single(advice);
        if (window is null)
        {
            Assert.Empty(rules);
            Assert.Equal($"{regimen.Drug}.delay.not-encoded", item.Code);
            Assert.StartsWith("Not encoded: consult ", item.Text, StringComparison.Ordinal);
            return;
        }

        var rule = Assert.Single(rules);
        Assert.Equal(window, rule.Window);
        Assert.Equal(
            !rule.Encoded ? $"{regimen.Drug}.delay.not-encoded" : rule.RepeatsStepUp ? $"{regimen.Drug}.delay.repeat-step-up" : $"{regimen.Drug}.delay.resume",
            item.Code);
        Assert.Contains(rule.Action, item.Text, StringComparison.Ordinal);
    }
}
