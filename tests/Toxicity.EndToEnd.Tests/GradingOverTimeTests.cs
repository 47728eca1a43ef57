using System.Text.Json;
using Toxicity.Contracts.V1;
using Xunit;
using Xunit.Abstractions;
using static Toxicity.EndToEnd.Tests.Ward;
using static Toxicity.EndToEnd.Tests.WalkingSkeletonTests;

namespace Toxicity.EndToEnd.Tests;

/// <summary>A ward's course through Ingestion, graded over time by Grading as a process, read back by a clinician.</summary>
[Collection(SystemCollection.Name)]
public sealed class GradingOverTimeTests(ToxicitySystem system, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string IcansChanged = WireName<IcansGradeChanged>();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        output.WriteLine(system.Diagnostics());
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Fever_antipyretic_fluids_a_vasopressor_and_a_falling_ICE_give_CRS_1_2_3_and_ICANS_2_each_from_its_observation()
    {
        var patient = await AdmitNewPatientAsync(system);
        var start = DateTimeOffset.UtcNow; // after the admission: none of these is late
        var fever = await PostAsync(system, "vital-signs", new { patientId = patient, observedAt = start, temperature = new { value = 38.6, unit = "Cel" } });
        await PostAsync(system, "treatments", new { patientId = patient, administeredAt = start.AddSeconds(10), kind = "antipyretic", drug = "acetaminophen", dose = 1000, doseUnit = "mg", route = "PO" });
        var fluids = await PostAsync(system, "vital-signs", new { patientId = patient, observedAt = start.AddSeconds(40), temperature = new { value = 37.8, unit = "Cel" }, hypotensive = true, fluidBolusGiven = true });
        var pressor = await PostAsync(system, "vital-signs", new
        {
            patientId = patient,
            observedAt = start.AddSeconds(70),
            hypotensive = true,
            vasopressors = new[] { new { drug = "norepinephrine", dose = 0.08, unit = "ug/kg/min" } },
        });
        var ice = await PostAsync(system, "neuro-assessments", new { patientId = patient, observedAt = start.AddSeconds(80), iceScore = 6, consciousness = "awakensSpontaneously" });

        var events = await AuditEventuallyAsync(system.Audit, patient, GradeChanged, GradeChanged, GradeChanged, IcansChanged);
        var crs = events.Where(e => Type(e) == GradeChanged).Select(Message).ToList();
        Assert.Equal([(0, 1, fever), (1, 2, fluids), (2, 3, pressor)], crs.Select(Change));
        Assert.Equal((0, 2, ice), Change(Message(Single(events, IcansChanged))));

        using var http = system.Grading.CreateClient(system.ClinicianKey);
        var grades = JsonDocument.Parse(await http.GetStringAsync($"api/v1/patients/{patient}/grades")).RootElement;
        Assert.Equal(3, grades.GetProperty("crs").GetProperty("current").GetProperty("grade").GetInt32());
        Assert.Equal(2, grades.GetProperty("icans").GetProperty("current").GetProperty("grade").GetInt32());
        Assert.True(grades.GetProperty("episode").GetProperty("feverMasked").GetBoolean());
        Assert.Equal(["change", "change", "change", "change"], grades.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Issue_14_awakens_to_voice_without_ICE_is_ICANS_at_least_2_on_the_alert_stream()
    {
        var patient = await AdmitNewPatientAsync(system);
        using var clinician = system.Alerting.CreateClient(system.ClinicianKey);
        await using var alerts = await Testing.SseReader.OpenAsync(clinician, $"api/v1/alerts/stream?patientId={patient}");

        var neuro = await PostAsync(system, "neuro-assessments", new { patientId = patient, observedAt = DateTimeOffset.UtcNow, consciousness = "awakensToVoice" });

        var alert = JsonDocument.Parse((await alerts.NextAsync("alert", TimeSpan.FromSeconds(30))).Data).RootElement;
        Assert.Equal(("icans", 0, 2, true), (alert.GetProperty("scale").GetString(), alert.GetProperty("previousGrade").GetInt32(),
            alert.GetProperty("newGrade").GetInt32(), alert.GetProperty("lowerBound").GetBoolean()));
        Assert.StartsWith("ICANS at least 2", alert.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var events = await AuditEventuallyAsync(system.Audit, patient, IcansChanged);
        var change = Message(Single(events, IcansChanged));
        Assert.Equal((neuro, true), (change.GetProperty("causedByEventId").GetGuid(), change.GetProperty("lowerBound").GetBoolean()));
    }

    [Fact]
    public async Task Issue_14_the_premedicated_step_up_patient_on_norepinephrine_gets_possible_CRS_3_once_with_advice_to_confirm_first()
    {
        var patient = await AdmitNewPatientAsync(system);
        var start = DateTimeOffset.UtcNow.AddMinutes(-2);
        await PostAsync(system, "treatments", new { patientId = patient, administeredAt = start, kind = "premedication", drug = "dexamethasone", dose = 16, doseUnit = "mg", route = "IV" });
        await PostAsync(system, "treatments", new { patientId = patient, administeredAt = start.AddSeconds(30), kind = "bispecificDose", drug = "epcoritamab", dose = 0.16, doseUnit = "mg", route = "SC" });
        await PostAsync(system, "vital-signs", new
        {
            patientId = patient, observedAt = start.AddSeconds(40), temperature = new { value = 36.9, unit = "Cel" }, hypotensive = false,
            vasopressors = Array.Empty<object>(), oxygen = new { device = "none" },
        });
        var pressor = await PostAsync(system, "vital-signs", new
        {
            patientId = patient, observedAt = start.AddSeconds(90), temperature = new { value = 37.2, unit = "Cel" }, hypotensive = true,
            vasopressors = new[] { new { drug = "norepinephrine", dose = 0.08, unit = "ug/kg/min" } }, oxygen = new { device = "none" },
        });

        var events = await AuditEventuallyAsync(system.Audit, patient, GradeChanged, Advised, Alerted);
        var change = Message(Single(events, GradeChanged));
        Assert.Equal((0, 3, pressor), Change(change));
        Assert.True(change.GetProperty("provisional").GetBoolean());
        Assert.Contains("crs.possibleMaskedFever", change.GetProperty("criteria").EnumerateArray().Select(c => c.GetString()));
        var advice = Message(Single(events, Advised)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("crs.possible-masked-fever.confirm", advice[0].GetProperty("code").GetString());
        Assert.StartsWith("Possible CRS, to confirm", Message(Single(events, Alerted)).GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    private static (int, int, Guid) Change(JsonElement message) =>
        (message.GetProperty("previousGrade").GetInt32(), message.GetProperty("newGrade").GetInt32(), message.GetProperty("causedByEventId").GetGuid());
}
