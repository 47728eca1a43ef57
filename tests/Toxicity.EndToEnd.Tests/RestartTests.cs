using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;
using static Toxicity.EndToEnd.Tests.Ward;
using static Toxicity.EndToEnd.Tests.WalkingSkeletonTests;

namespace Toxicity.EndToEnd.Tests;

/// <summary>A service that is down loses nothing: its queue is durable, and the event log kept everything.</summary>
[Collection(SystemCollection.Name)]
public sealed class RestartTests(ToxicitySystem system, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        output.WriteLine(system.Diagnostics());
        // Leave the system whole for the next test, whatever happened here.
        foreach (var service in system.Services.Where(s => !s.IsRunning))
        {
            await service.StartAsync();
        }
    }

    [Fact]
    public async Task A_fever_posted_while_grading_is_stopped_is_graded_when_it_is_back()
    {
        var patient = await AdmitNewPatientAsync(system);
        await system.Grading.StopAsync();

        var vitalsId = await PostTemperatureAsync(system, patient, 39.1);
        // The management statistics are sampled, so they are polled; the observation waits in one of grading's
        // durable partition queues (the one its patient hashes to).
        await Eventually.That(
            async () => await Task.WhenAll(Enumerable.Range(0, 8).Select(i => system.Broker.Management.QueueAsync($"grading-partition-{i}"))),
            depths => depths.Sum(d => d?.Ready ?? 0) >= 1,
            Deadline,
            "the observation waiting in grading's partition queue while grading is down");

        await system.Grading.StartAsync();
        using var http = system.Alerting.CreateClient(system.ClinicianKey);
        await using var alerts = await SseReader.OpenAsync(http, $"api/v1/alerts/stream?patientId={patient}");
        var alert = System.Text.Json.JsonDocument.Parse((await alerts.NextAsync("alert", Deadline)).Data).RootElement;
        Assert.Equal(1, alert.GetProperty("newGrade").GetInt32());

        var events = await AuditEventuallyAsync(system.Audit, patient, Vitals, GradeChanged);
        Assert.Equal(vitalsId, Message(Single(events, GradeChanged)).GetProperty("causedByEventId").GetGuid());
    }

    [Fact]
    public async Task Events_published_while_audit_is_down_are_in_its_log_when_it_is_back()
    {
        var patient = await AdmitNewPatientAsync(system);
        await system.Audit.KillAsync();

        var vitalsId = await PostTemperatureAsync(system, patient, 38.7);
        using (var http = system.Alerting.CreateClient(system.ClinicianKey))
        {
            // The rest of the slice runs while audit is down.
            await Eventually.That(
                () => http.GetStringAsync($"api/v1/alerts?patientId={patient}"),
                body => body.Contains(patient, StringComparison.Ordinal),
                Deadline,
                $"an alert for {patient}");
        }

        await system.Audit.StartAsync();
        var events = await AuditEventuallyAsync(system.Audit, patient, Vitals, GradeChanged, CtcaeChanged, Advised, Alerted);
        Assert.Equal(vitalsId, EventId(Single(events, Vitals)));
        Assert.Equal(6, events.Count); // with the admission and the CTCAE grade beside ASTCT
    }
}
