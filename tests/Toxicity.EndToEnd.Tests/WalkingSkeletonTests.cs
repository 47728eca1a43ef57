using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Xunit;
using Xunit.Abstractions;
using static Toxicity.EndToEnd.Tests.Ward;

namespace Toxicity.EndToEnd.Tests;

/// <summary>The thin vertical slice of issue 3, through all five services on a real broker.</summary>
[Collection(SystemCollection.Name)]
public sealed class WalkingSkeletonTests(ToxicitySystem system, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    internal static readonly string Admitted = WireName<PatientAdmitted>();
    internal static readonly string Vitals = WireName<VitalSignsRecorded>();
    internal static readonly string GradeChanged = WireName<CrsGradeChanged>();
    internal static readonly string Advised = WireName<MitigationAdvised>();
    internal static readonly string CtcaeChanged = WireName<CtcaeCrsGradeChanged>();
    internal static readonly string Alerted = WireName<AlertRaised>();

    public Task InitializeAsync()
    {
        output.WriteLine($"broker: {system.Broker.Source}, vhost {system.Broker.VirtualHost}");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        output.WriteLine(system.Diagnostics());
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_fever_posted_by_a_ward_reaches_the_alert_stream_and_the_audit_log_in_order()
    {
        var patient = await AdmitNewPatientAsync(system);
        using var http = system.Alerting.CreateClient(system.ClinicianKey);
        await using var alerts = await Testing.SseReader.OpenAsync(http, $"api/v1/alerts/stream?patientId={patient}");

        var vitalsId = await PostTemperatureAsync(system, patient, 38.5);

        var alertItem = await alerts.NextAsync("alert", Deadline);
        var alert = JsonDocument.Parse(alertItem.Data).RootElement;
        Assert.Equal(patient, alert.GetProperty("patientId").GetString());
        Assert.Equal(0, alert.GetProperty("previousGrade").GetInt32());
        Assert.Equal(1, alert.GetProperty("newGrade").GetInt32());
        Assert.Equal("warning", alert.GetProperty("severity").GetString());
        Assert.Equal(["crs.fever"], alert.GetProperty("criteria").EnumerateArray().Select(c => c.GetString()));
        Assert.False(string.IsNullOrEmpty(alertItem.EventId), "an SSE alert carries an id to resume from");

        var advice = JsonDocument.Parse((await alerts.NextAsync("advice", Deadline)).Data).RootElement;
        Assert.All(advice.GetProperty("items").EnumerateArray(), item =>
        {
            Assert.StartsWith("Consider (clinician to confirm)", item.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Contains("CLINICAL-RULES.md", item.GetProperty("source").GetString(), StringComparison.Ordinal);
        });

        var events = await AuditEventuallyAsync(system.Audit, patient, Vitals, GradeChanged, CtcaeChanged, Advised, Alerted);
        Assert.Equal(6, events.Count); // with the admission; the CTCAE v5.0 grade (0 to 1) is published beside ASTCT
        Assert.Equal(Admitted, Type(events[0]));
        Assert.Equal(1, Message(Single(events, CtcaeChanged)).GetProperty("newGrade").GetInt32());
        var offsets = events.Select(Offset).ToArray();
        Assert.Equal(offsets.Order(), offsets);

        var vitals = Single(events, Vitals);
        var gradeChange = Single(events, GradeChanged);
        var advised = Single(events, Advised);
        var raised = Single(events, Alerted);
        Assert.True(Offset(vitals) < Offset(gradeChange) && Offset(gradeChange) < Offset(advised) && Offset(gradeChange) < Offset(raised),
            "each effect follows its cause in the log");

        // One chain of causes, from the id the ward was given to the alert on the screen.
        Assert.Equal(vitalsId, EventId(vitals));
        Assert.Equal(38.5, Message(vitals).GetProperty("temperatureC").GetDouble());
        Assert.Equal(vitalsId, Message(gradeChange).GetProperty("causedByEventId").GetGuid());
        Assert.Equal(1, Message(gradeChange).GetProperty("newGrade").GetInt32());
        Assert.Equal("astct-2019/2", Message(gradeChange).GetProperty("ruleSet").GetString());
        Assert.Equal(EventId(gradeChange), Message(advised).GetProperty("causedByEventId").GetGuid());
        Assert.Equal(EventId(gradeChange), Message(raised).GetProperty("causedByEventId").GetGuid());
        Assert.Equal(EventId(raised), alert.GetProperty("alertId").GetGuid());
        Assert.Equal(EventId(gradeChange), alert.GetProperty("causedByEventId").GetGuid());

        // Every service signed what it published, each with its own key (checked by Audit against the keys it knows).
        Assert.Equal(
            ["ingestion-test", "ingestion-test", "grading-test", "mitigation-test", "alerting-test"],
            new[] { events[0], vitals, gradeChange, advised, raised }.Select(e => e.GetProperty("keyId").GetString()));
        Assert.All(events, e => Assert.Equal("valid", e.GetProperty("signature").GetString()));
    }

    [Fact]
    public async Task A_temperature_below_38_0_raises_nothing()
    {
        var patient = await AdmitNewPatientAsync(system);
        await PostTemperatureAsync(system, patient, 37.9);
        var marker = await PostTemperatureAsync(system, patient, 38.0);

        var events = await AuditEventuallyAsync(system.Audit, patient, Vitals, Vitals, GradeChanged);
        Assert.Equal(marker, Message(Single(events, GradeChanged)).GetProperty("causedByEventId").GetGuid());
    }

    [Fact]
    public async Task A_temperature_in_the_wrong_unit_is_refused_with_a_problem_naming_the_field_and_nothing_is_published()
    {
        var patient = await AdmitNewPatientAsync(system);
        using var http = system.Ingestion.CreateClient(system.WardKey);

        // 38.5 sent as °F is 3.6 °C: a unit mistake, not a patient.
        using var refused = await http.PostAsJsonAsync("api/v1/vital-signs", new
        {
            patientId = patient,
            observedAt = DateTimeOffset.UtcNow,
            temperature = new { value = 38.5, unit = "[degF]" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("temperature.value", out _), problem.ToString());

        // The log is ordered: once a later observation of the patient is in it, the refused one would be too.
        var marker = await PostTemperatureAsync(system, patient, 36.8);
        var events = await AuditEventuallyAsync(system.Audit, patient, Vitals);
        Assert.Equal(marker, EventId(Single(events, Vitals)));
    }

    internal static JsonElement Single(IReadOnlyList<JsonElement> events, string type) => Assert.Single(events, e => Type(e) == type);

    internal static long Offset(JsonElement auditEvent) => auditEvent.GetProperty("offset").GetInt64();

    internal static string WireName<T>() => $"{typeof(T).Namespace}:{typeof(T).Name}";
}
