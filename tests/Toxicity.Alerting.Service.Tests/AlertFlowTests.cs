using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>
/// The Alerting service as a process (Kestrel, as in production) on a real broker: grade changes in, alerts out on the bus and on the SSE stream,
/// once per cause, by the ward's policy; after a restart the alerts come back from the event log and a screen resumes
/// with Last-Event-ID.
/// </summary>
public sealed class AlertFlowTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private EventProbe _probe = null!;
    private ServiceProcess _alerting = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _probe = await EventProbe.StartAsync(_broker.AmqpUri, [$"{typeof(AlertRaised).Namespace}:{nameof(AlertRaised)}"]);
        _alerting = new ServiceProcess("Alerting", _broker.AmqpUri, new Dictionary<string, string>
        {
            ["Alerting__Policies__icu__CriticalFromIcans"] = "2",
        });
        await _alerting.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _alerting.DisposeAsync();
        await _probe.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task An_ICANS_change_delivered_three_times_raises_one_alert_by_the_ward_policy_on_the_stream_of_that_ward_only()
    {
        var (patient, now) = await AdmitAsync("icu");
        using var http = _alerting.CreateClient();
        await using var icu = await SseReader.OpenAsync(http, "api/v1/alerts/stream?ward=icu");
        using var other = _alerting.CreateClient();
        var change = new IcansGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 2, 2, "astct-2019/1", ["icans.ice.5"]);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _events.PublishAsync(change)));

        var alert = JsonDocument.Parse((await icu.NextAsync("alert", Deadline)).Data).RootElement;
        Assert.Equal(("icans", 2, "critical", "ward-physician", "icu"), (
            alert.GetProperty("scale").GetString(), alert.GetProperty("newGrade").GetInt32(), alert.GetProperty("severity").GetString(),
            alert.GetProperty("tier").GetString(), alert.GetProperty("ward").GetString())); // icu's policy: ICANS ≥ 2 is critical
        Assert.Equal(["icans.ice.5"], alert.GetProperty("criteria").EnumerateArray().Select(c => c.GetString()));
        var published = await RaisedAsync(patient);
        Assert.Equal(change.EventId, Assert.Single(published).GetProperty("causedByEventId").GetGuid());
        var haem = await other.GetFromJsonAsync<JsonElement>("api/v1/alerts?ward=haem-3");
        Assert.DoesNotContain(haem.EnumerateArray(), a => a.GetProperty("patientId").GetString() == patient);
    }

    [Fact]
    public async Task After_a_kill_9_and_a_restart_the_alerts_come_back_from_the_log_and_a_screen_resumes_with_Last_Event_ID()
    {
        var (patient, now) = await AdmitAsync("haem-3");
        using (var http = _alerting.CreateClient())
        {
            await using var stream = await SseReader.OpenAsync(http, $"api/v1/alerts/stream?patientId={patient}");
            await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 1, "astct-2019/1", ["crs.fever"]));
            var first = await stream.NextAsync("alert", Deadline);

            await _alerting.KillAsync();
            // While Alerting is down the patient worsens; the change waits in its durable queue.
            await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 1, 3, "astct-2019/1", ["crs.fever", "crs.hypotension.oneVasopressor"]));
            await _alerting.StartAsync();

            using var again = _alerting.CreateClient();
            await using var resumed = await SseReader.OpenAsync(again, $"api/v1/alerts/stream?patientId={patient}", first.EventId);
            var missed = JsonDocument.Parse((await resumed.NextAsync("alert", Deadline)).Data).RootElement;
            Assert.Equal((1, 3, "critical"), (missed.GetProperty("previousGrade").GetInt32(), missed.GetProperty("newGrade").GetInt32(), missed.GetProperty("severity").GetString()));

            var alerts = await again.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}");
            Assert.Equal([1, 3], alerts.EnumerateArray().Select(a => a.GetProperty("newGrade").GetInt32()));
        }

        Assert.Equal(2, (await RaisedAsync(patient)).Count);
    }

    private async Task<(string Patient, DateTimeOffset Now)> AdmitAsync(string ward)
    {
        var patient = $"p-{Guid.NewGuid():N}"[..14];
        var now = DateTimeOffset.UtcNow;
        await _events.PublishAsync(new PatientAdmitted(Guid.NewGuid(), patient, now, now, 50, 70, 170, 1.8, "DLBCL", ward, null));
        return (patient, now);
    }

    /// <summary>The AlertRaised events of <paramref name="patient"/> that reached the broker, once the service has been quiet for 2 s.</summary>
    private async Task<List<JsonElement>> RaisedAsync(string patient)
    {
        using var http = _alerting.CreateClient();
        await Consistently.That(
            () => http.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}"),
            alerts => alerts.GetArrayLength() > 0,
            TimeSpan.FromSeconds(2),
            $"the alerts of {patient} stay in the feed");
        var now = DateTimeOffset.UtcNow;
        var marker = new AlertRaised(Guid.NewGuid(), $"marker-{Guid.NewGuid():N}", now, now, Guid.NewGuid(), "crs", 0, 0, "info", "marker");
        await _events.PublishAsync(marker);
        return [.. (await _probe.DrainUntilAsync(marker.EventId, Deadline)).Where(e => e.GetProperty("patientId").GetString() == patient)];
    }
}
