using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Audit.Service.Tests;

/// <summary>
/// The toxicity programme's measures (<c>GET /api/v1/reports/toxicity</c>) from the event log Audit stores, for a
/// small scenario whose every number is worked out by hand below (docs/reports.md defines them).
/// </summary>
public sealed class ReportTests : AuditProcess
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly ApiKey _clinician = new("ward-3-nurse", "clinician");
    private readonly ApiKey _ward = new("ward-system", "ward-system");

    protected override IEnumerable<KeyValuePair<string, string>> Settings() => _clinician.Settings(1).Concat(_ward.Settings(2));

    [Fact]
    public async Task The_programme_measures_of_a_small_scenario_are_the_ones_computed_by_hand()
    {
        // The scenario's events and the hand computation of every number below: Toxicity.Testing/ReportScenario.cs.
        var scenario = new ReportScenario(DateTimeOffset.UtcNow.AddHours(-6));
        var ward = scenario.Ward;
        await Events.PublishAsync(scenario.Events);
        await Events.PublishAsync(scenario.Events[5]); // a redelivery counts once

        using var clinician = Audit.CreateClient(_clinician);
        var query = $"api/v1/reports/toxicity?from={Uri.EscapeDataString(scenario.Window.From.ToString("O"))}&to={Uri.EscapeDataString(scenario.Window.To.ToString("O"))}&ward={ward}";
        var report = await Eventually.That(() => clinician.GetFromJsonAsync<JsonElement>(query),
            r => r.GetProperty("wards").GetArrayLength() == 1 && r.GetProperty("wards")[0].GetProperty("overdueNotices").GetArrayLength() == 1,
            Deadline, "the scenario in Audit's store");

        var measures = report.GetProperty("wards")[0];
        Assert.Equal((ward, 2), (measures.GetProperty("ward").GetString(), measures.GetProperty("episodes").GetInt32()));

        // Fever → first grade: 2 and 6 min. Median (2 + 6) / 2 = 4; p90 = 2 + 0.9 × (6 − 2) = 5.6.
        var fever = measures.GetProperty("feverToFirstGrade");
        Assert.Equal((2, 4.0, 5.6, 0), (Count(fever), Median(fever), P90(fever), fever.GetProperty("episodesWithoutFever").GetInt32()));

        // CRS ≥ 2 → tocilizumab: p1 only, 30 min; p2 reached 2 and got none.
        var tocilizumab = measures.GetProperty("gradeTwoToTocilizumab");
        Assert.Equal((1, 30.0, 30.0, 1), (Count(tocilizumab), Median(tocilizumab), P90(tocilizumab), tocilizumab.GetProperty("notGiven").GetInt32()));

        // Alert → acknowledged by tier: bedside nurse 5 and 20 min (median 12.5, p90 5 + 0.9 × 15 = 18.5); ward
        // physician 10 min, one never acknowledged.
        var byTier = measures.GetProperty("alertToAcknowledged").EnumerateArray().ToDictionary(t => t.GetProperty("tier").GetString()!);
        Assert.Equal((2, 12.5, 18.5, 0), (Count(byTier["bedside-nurse"]), Median(byTier["bedside-nurse"]), P90(byTier["bedside-nurse"]), byTier["bedside-nurse"].GetProperty("unacknowledged").GetInt32()));
        Assert.Equal((1, 10.0, 10.0, 1), (Count(byTier["ward-physician"]), Median(byTier["ward-physician"]), P90(byTier["ward-physician"]), byTier["ward-physician"].GetProperty("unacknowledged").GetInt32()));

        // Answers by reason; the overdue notice (not its clearing).
        Assert.Equal([("accepted", "assessing", 1), ("declined", "alternative-cause", 1)], measures.GetProperty("responses").EnumerateArray()
            .Select(r => (r.GetProperty("response").GetString(), r.GetProperty("reason").GetString(), r.GetProperty("count").GetInt32())));
        Assert.Equal([("temperature", 1)], measures.GetProperty("overdueNotices").EnumerateArray().Select(o => (o.GetProperty("reading").GetString(), o.GetProperty("count").GetInt32())));
        Assert.DoesNotContain("a comment", report.ToString(), StringComparison.Ordinal);

        // Who may ask, and bad parameters named.
        using var wardSystem = Audit.CreateClient(_ward);
        Assert.Equal(HttpStatusCode.Forbidden, (await wardSystem.GetAsync("api/v1/reports/toxicity")).StatusCode);
        using var bad = await clinician.GetAsync("api/v1/reports/toxicity?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("from", out _));
    }

    private static int Count(JsonElement measure) => measure.GetProperty("durations").GetProperty("count").GetInt32();

    private static double Median(JsonElement measure) => measure.GetProperty("durations").GetProperty("medianMinutes").GetDouble();

    private static double P90(JsonElement measure) => measure.GetProperty("durations").GetProperty("p90Minutes").GetDouble();
}
