using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Mitigation.Service.Tests;

/// <summary>
/// Grade changes in, MitigationAdvised out, on the real broker: the label's advice for the patient's regimen, once
/// per cause, however often the cause is delivered and across a restart of the service.
/// </summary>
public sealed class AdviceOnTheBusTests(MitigationFixture mitigation) : IClassFixture<MitigationFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_CTCAE_CRS_grade_3_for_a_patient_on_blinatumomab_gives_the_label_advice_once_even_redelivered_and_after_a_restart()
    {
        // Blinatumomab's label grades CRS on CTCAE v5.0 (issue 15): its rows follow the CTCAE grade.
        var patient = await AdmitWithPlanAsync(weightKg: 70, bsa: 1.85, "blinatumomab-rr-ball-45kg-and-over");
        var now = DateTimeOffset.UtcNow;
        var change = new CtcaeCrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 2, 3, "ctcae-5.0-crs/2", ["ctcae.crs.hypotension.onePressor"], false);

        // Delivered three times at once, as a redelivery to competing consumers would.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => mitigation.Events.PublishAsync(change)));
        var advised = await AdvisedAsync(patient, expected: 1);

        var single = Assert.Single(advised);
        Assert.Equal(EventIds.Derive(change.EventId, "mitigation-advised"), single.GetProperty("eventId").GetGuid());
        Assert.Equal(change.EventId, single.GetProperty("causedByEventId").GetGuid());
        var items = single.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, i => Assert.StartsWith("blinatumomab.", i.GetProperty("code").GetString(), StringComparison.Ordinal));
        Assert.Contains(items, i => i.GetProperty("text").GetString()!.Contains("8 mg", StringComparison.Ordinal)
            && i.GetProperty("source").GetString()!.Contains("S-BLIN-HCP", StringComparison.Ordinal)
            && i.GetProperty("scale").GetString() == "ctcaeV5Crs"
            && i.GetProperty("jurisdictions").EnumerateArray().Select(j => j.GetString()).Contains("US"));
        Assert.All(items, i => Assert.StartsWith("CLINICAL-RULES.md §", i.GetProperty("source").GetString(), StringComparison.Ordinal));

        // Restarted, the service rebuilds from the log: the same cause delivered again gives nothing new.
        await mitigation.RestartAsync();
        await mitigation.Events.PublishAsync(change);
        Assert.Empty(await AdvisedAsync(patient, expected: 1)); // nothing new since the first read

        using var http = mitigation.Client(mitigation.Clinician);
        var advice = await http.GetFromJsonAsync<JsonElement>($"api/v1/patients/{patient}/advice");
        Assert.Equal("blinatumomab-rr-ball-45kg-and-over", advice.GetProperty("regimenId").GetString());
        Assert.Equal(["US"], advice.GetProperty("jurisdiction").EnumerateArray().Select(j => j.GetString()));
        Assert.Equal(single.GetProperty("eventId").GetGuid(), Assert.Single(advice.GetProperty("advised").EnumerateArray()).GetProperty("eventId").GetGuid());
    }

    [Fact]
    public async Task An_ASTCT_CRS_grade_3_for_a_patient_on_blinatumomab_says_its_rows_follow_CTCAE_then_gives_the_general_guidance()
    {
        var patient = await AdmitWithPlanAsync(weightKg: 70, bsa: 1.85, "blinatumomab-rr-ball-45kg-and-over");
        var now = DateTimeOffset.UtcNow;
        await mitigation.Events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 2, 3, "astct-2019/2",
            ["crs.fever", "crs.hypotension.oneVasopressor"], 3, 3, "ctcae-5.0-crs/2", ["ctcae.crs.hypotension.onePressor"]));

        var codes = Assert.Single(await AdvisedAsync(patient, expected: 1)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()!).ToList();

        Assert.Equal("blinatumomab.crs.ctcae-scale", codes[0]);
        Assert.DoesNotContain(codes.Skip(1), c => c.StartsWith("blinatumomab.", StringComparison.Ordinal));
        Assert.Contains(codes, c => c.StartsWith("general.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_falling_grade_gives_no_advice()
    {
        var patient = await AdmitWithPlanAsync(weightKg: 70, bsa: 1.85, "blinatumomab-rr-ball-45kg-and-over");
        var now = DateTimeOffset.UtcNow;
        await mitigation.Events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 3, 1, "astct-2019/1", ["crs.feverMasked"]));

        Assert.Empty(await AdvisedAsync(patient, expected: 0));
    }

    [Fact]
    public async Task An_infusion_restarted_5_hours_after_an_interruption_gets_the_blinatumomab_restart_advice()
    {
        var patient = await AdmitWithPlanAsync(weightKg: 70, bsa: 1.85, "blinatumomab-rr-ball-45kg-and-over");
        var interrupted = DateTimeOffset.UtcNow.AddHours(-6);
        var stop = new TreatmentAdministered(Guid.NewGuid(), patient, interrupted, interrupted, "infusionInterrupted", "blinatumomab", null, null, null);
        var restart = new TreatmentAdministered(Guid.NewGuid(), patient, interrupted.AddHours(5), interrupted.AddHours(5), "infusionRestarted", "blinatumomab", null, null, null);

        await mitigation.Events.PublishAsync(stop, restart);
        var advised = await AdvisedAsync(patient, expected: 2);

        Assert.Equal([stop.EventId, restart.EventId], advised.Select(a => a.GetProperty("causedByEventId").GetGuid()));
        var restartItems = advised[1].GetProperty("items").EnumerateArray().ToList();
        // ≥ 4 h: dexamethasone 20 mg IV 1 h before restarting (S-BLIN-ONA), and supervision or hospitalisation (S-BLIN-HCP).
        Assert.Contains(restartItems, i => i.GetProperty("text").GetString()!.Contains("20 mg", StringComparison.Ordinal)
            && i.GetProperty("source").GetString()!.Contains("S-BLIN-ONA", StringComparison.Ordinal));
        Assert.Contains(restartItems, i => i.GetProperty("source").GetString()!.Contains("S-BLIN-HCP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mosunetuzumab_dose_given_three_weeks_after_the_first_gets_the_repeat_step_up_advice()
    {
        var patient = await AdmitWithPlanAsync(weightKg: 80, bsa: 1.9, "mosunetuzumab");
        var first = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero); // C1D1 of the plan
        var dose1 = new TreatmentAdministered(Guid.NewGuid(), patient, first, first, "bispecificDose", "mosunetuzumab", 1, "mg", "IV");
        var late = new TreatmentAdministered(Guid.NewGuid(), patient, first.AddDays(23), first.AddDays(23), "bispecificDose", "mosunetuzumab", 2, "mg", "IV");

        await mitigation.Events.PublishAsync(dose1, late);
        var advised = Assert.Single(await AdvisedAsync(patient, expected: 1));

        Assert.Equal(late.EventId, advised.GetProperty("causedByEventId").GetGuid());
        var codes = advised.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()).ToList();
        // CLINICAL-RULES.md §5.3: last dose 1 mg (C1D1), > 2 weeks: repeat 1 mg, then 2 mg, then resume; premedicate D1, 8, 15.
        Assert.Equal(["mosunetuzumab.delay.repeat-step-up", "mosunetuzumab.delay.premedicate-repeated-step-up"], codes);
    }

    private async Task<string> AdmitWithPlanAsync(double weightKg, double bsa, string regimenId)
    {
        var patient = $"p-{Guid.NewGuid():N}"[..14];
        var now = DateTimeOffset.UtcNow;
        await mitigation.Events.PublishAsync(new PatientAdmitted(Guid.NewGuid(), patient, now, now, 40, weightKg, 175, bsa, "B-ALL", "haem-3", null));
        using var http = mitigation.Client(mitigation.Clinician);
        await Eventually.That(
            async () =>
            {
                using var response = await http.PutAsJsonAsync($"api/v1/patients/{patient}/treatment-plan", new { regimenId, cycle1Day1 = "2026-11-02" });
                return response.StatusCode;
            },
            status => status == HttpStatusCode.OK,
            Deadline,
            $"the plan of {patient} recorded (the admission folded first)");
        return patient;
    }

    /// <summary>
    /// The MitigationAdvised events of <paramref name="patient"/> that reached the probe since the last call, once the
    /// event log holds <paramref name="expected"/> of them and keeps holding exactly that many (a duplicate publish
    /// would be in the log within milliseconds of its copy).
    /// </summary>
    private async Task<List<JsonElement>> AdvisedAsync(string patient, int expected)
    {
        using var http = mitigation.Client(mitigation.Clinician);
        await Eventually.That(
            () => http.GetFromJsonAsync<JsonElement>($"api/v1/patients/{patient}/advice"),
            advice => advice.GetProperty("advised").GetArrayLength() >= expected,
            Deadline,
            $"{expected} advice events of {patient} in Mitigation's log");
        await Consistently.That(
            () => http.GetFromJsonAsync<JsonElement>($"api/v1/patients/{patient}/advice"),
            advice => advice.GetProperty("advised").GetArrayLength() == expected,
            TimeSpan.FromSeconds(2),
            $"exactly {expected} advice events of {patient} in Mitigation's log");
        var now = DateTimeOffset.UtcNow;
        var marker = new MitigationAdvised(Guid.NewGuid(), $"marker-{Guid.NewGuid():N}", now, now, Guid.NewGuid(), []);
        await mitigation.Events.PublishAsync(marker);
        var events = await mitigation.Probe.DrainUntilAsync(marker.EventId, Deadline);
        return [.. events.Where(e => e.GetProperty("patientId").GetString() == patient)];
    }
}
