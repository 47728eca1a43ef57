using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
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
        var t0 = DateTimeOffset.UtcNow.AddHours(-6);
        DateTimeOffset At(double minutes) => t0.AddMinutes(minutes);
        var (p1, p2, p3) = ($"rp1-{Guid.NewGuid():N}"[..12], $"rp2-{Guid.NewGuid():N}"[..12], $"rp3-{Guid.NewGuid():N}"[..12]);
        var ward = $"ward-{Guid.NewGuid():N}"[..12];
        var alert1 = Guid.NewGuid();
        var alert2 = Guid.NewGuid();
        var alert3 = Guid.NewGuid();
        var alert4 = Guid.NewGuid();
        var fever1 = Vitals(p1, At(0), 38.5);
        var fever2 = Vitals(p2, At(10), 38.2);
        IPatientEvent[] scenario =
        [
            Admit(p1, ward, At(-60)), Admit(p2, ward, At(-60)), Admit(p3, ward, At(-60)),
            // p1: fever at 0, CRS 1 published at 2 (fever → grade 2 min); CRS 2 at 60, tocilizumab at 90 (30 min).
            Vitals(p1, At(-30), 37.1), fever1, Crs(p1, At(0), At(2), fever1.EventId, 0, 1),
            Alert(alert1, p1, ward, At(2), "bedside-nurse"), new AlertAcknowledged(Guid.NewGuid(), p1, At(7), At(7), alert1, "ward-3-nurse"), // 5 min
            Crs(p1, At(60), At(61), Guid.NewGuid(), 1, 2),
            Alert(alert2, p1, ward, At(61), "ward-physician"),
            new AlertAcknowledged(Guid.NewGuid(), p1, At(71), At(71), alert2, "dr-b"), // 10 min
            new AlertResponded(Guid.NewGuid(), p1, At(71), At(71), alert2, "declined", "alternative-cause", "dr-b", "a comment"),
            Treatment(p1, At(90), "tocilizumab"),
            // p2: fever at 10, CRS 1 published at 16 (6 min); CRS 2 at 100, no tocilizumab (not given).
            fever2, Crs(p2, At(10), At(16), fever2.EventId, 0, 1),
            Alert(alert3, p2, ward, At(16), "bedside-nurse"), new AlertAcknowledged(Guid.NewGuid(), p2, At(36), At(36), alert3, "ward-3-nurse"), // 20 min
            new AlertResponded(Guid.NewGuid(), p2, At(36), At(36), alert3, "accepted", "assessing", "ward-3-nurse", null),
            Crs(p2, At(100), At(101), Guid.NewGuid(), 1, 2),
            Alert(alert4, p2, ward, At(101), "ward-physician"), // never acknowledged
            new ObservationOverdue(Guid.NewGuid(), p2, At(200), At(200), Guid.NewGuid(), "temperature", "overdue", At(80), "stale", At(10), "astct-2019/2"),
            new ObservationOverdue(Guid.NewGuid(), p2, At(230), At(230), Guid.NewGuid(), "temperature", "cleared", At(80), null, At(230), "astct-2019/2"),
            // p3: an episode that began before the window (not counted), and an episode that ended (back to 0).
            Crs(p3, At(-50), At(-50), Guid.NewGuid(), 0, 1), Crs(p3, At(-40), At(-40), Guid.NewGuid(), 1, 0),
        ];
        await Events.PublishAsync(scenario);
        await Events.PublishAsync(scenario[5]); // a redelivery counts once

        using var clinician = Audit.CreateClient(_clinician);
        var query = $"api/v1/reports/toxicity?from={Uri.EscapeDataString(At(-1).ToString("O"))}&to={Uri.EscapeDataString(At(300).ToString("O"))}&ward={ward}";
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

    private static PatientAdmitted Admit(string patient, string ward, DateTimeOffset at) => new(Guid.NewGuid(), patient, at, at, 58, 72.5, 174, 1.87, "DLBCL", ward, null);

    private static VitalSignsRecorded Vitals(string patient, DateTimeOffset at, double celsius) =>
        new(Guid.NewGuid(), patient, at, at, celsius, 100, 18, 120, 70, 97);

    private static CrsGradeChanged Crs(string patient, DateTimeOffset observed, DateTimeOffset recorded, Guid cause, int from, int to) =>
        new(Guid.NewGuid(), patient, observed, recorded, cause, from, to, "astct-2019/2", ["crs.fever"]);

    private static AlertRaised Alert(Guid id, string patient, string ward, DateTimeOffset at, string tier) =>
        new(id, patient, at, at, Guid.NewGuid(), "crs", 0, 1, "warning", "CRS grade rose", "alert", tier, ward);

    private static TreatmentAdministered Treatment(string patient, DateTimeOffset at, string kind) =>
        new(Guid.NewGuid(), patient, at, at, kind, kind, 580, "mg", "IV");
}
