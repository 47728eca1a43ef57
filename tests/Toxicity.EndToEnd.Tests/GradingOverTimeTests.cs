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

    private static (int, int, Guid) Change(JsonElement message) =>
        (message.GetProperty("previousGrade").GetInt32(), message.GetProperty("newGrade").GetInt32(), message.GetProperty("causedByEventId").GetGuid());
}
