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
    private readonly ApiKey _clinician = new("ward-3-nurse", "clinician");
    private readonly ApiKey _ward = new("ward-system", "ward-system");
    private ServiceProcess _alerting = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _probe = await EventProbe.StartAsync(_broker.AmqpUri, [$"{typeof(AlertRaised).Namespace}:{nameof(AlertRaised)}"]);
        _alerting = new ServiceProcess("Alerting", _broker.AmqpUri, new Dictionary<string, string>(
            _clinician.Settings(0).Concat(_ward.Settings(1)))
        {
            ["Alerting__Policies__icu__CriticalFromIcans"] = "2",
            // Test-shortened deadline: critical alerts on ward "fast" escalate after 3 s unacknowledged.
            ["Alerting__Policies__fast__EscalateCriticalAfter"] = "00:00:03",
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
        var (patient, now) = await _events.AdmitAsync("icu");
        using var http = _alerting.CreateClient(_clinician);
        await using var icu = await SseReader.OpenAsync(http, "api/v1/alerts/stream?ward=icu");
        using var other = _alerting.CreateClient(_clinician);
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
        var (patient, now) = await _events.AdmitAsync("haem-3");
        using (var http = _alerting.CreateClient(_clinician))
        {
            await using var stream = await SseReader.OpenAsync(http, $"api/v1/alerts/stream?patientId={patient}");
            await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 1, "astct-2019/1", ["crs.fever"]));
            var first = await stream.NextAsync("alert", Deadline);

            await _alerting.KillAsync();
            // While Alerting is down the patient worsens; the change waits in its durable queue.
            await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 1, 3, "astct-2019/1", ["crs.fever", "crs.hypotension.oneVasopressor"]));
            await _alerting.StartAsync();

            using var again = _alerting.CreateClient(_clinician);
            await using var resumed = await SseReader.OpenAsync(again, $"api/v1/alerts/stream?patientId={patient}", first.EventId);
            var missed = JsonDocument.Parse((await resumed.NextAsync("alert", Deadline)).Data).RootElement;
            Assert.Equal((1, 3, "critical"), (missed.GetProperty("previousGrade").GetInt32(), missed.GetProperty("newGrade").GetInt32(), missed.GetProperty("severity").GetString()));

            var alerts = await again.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}");
            Assert.Equal([1, 3], alerts.EnumerateArray().Select(a => a.GetProperty("newGrade").GetInt32()));
        }

        Assert.Equal(2, (await RaisedAsync(patient)).Count);
    }

    [Fact]
    public async Task A_clinician_acknowledges_an_alert_once_it_leaves_the_open_list_and_stays_acknowledged_after_a_restart()
    {
        var (patient, now) = await _events.AdmitAsync("haem-3");
        await _events.PublishAsync(
            new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 2, "astct-2019/1", ["crs.fever", "crs.hypotension.fluidResponsive"]),
            new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 2, 1, "astct-2019/1", ["crs.fever"]));
        using var reader = _alerting.CreateClient(_clinician);
        var alerts = await Eventually.That(
            () => reader.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}"),
            list => list.GetArrayLength() == 2,
            Deadline,
            $"the alert and the notice of {patient}");
        var alert = alerts[0].GetProperty("alertId").GetGuid();
        var notice = alerts[1].GetProperty("alertId").GetGuid();
        Assert.Equal(("alert", "notice"), (alerts[0].GetProperty("kind").GetString(), alerts[1].GetProperty("kind").GetString()));

        using var anonymous = _alerting.CreateClient();
        using var clinician = _alerting.CreateClient(_clinician);
        using var ward = _alerting.CreateClient(_ward);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"api/v1/alerts/{alert}/acknowledge", null)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await ward.PostAsync($"api/v1/alerts/{alert}/acknowledge", null)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await clinician.PostAsync($"api/v1/alerts/{Guid.NewGuid()}/acknowledge", null)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, (await clinician.PostAsync($"api/v1/alerts/{notice}/acknowledge", null)).StatusCode);
        await using var stream = await SseReader.OpenAsync(reader, $"api/v1/alerts/stream?patientId={patient}");

        using var first = await clinician.PostAsync($"api/v1/alerts/{alert}/acknowledge", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, first.StatusCode);
        var acknowledgement = JsonDocument.Parse((await stream.NextAsync("acknowledged", Deadline)).Data).RootElement;
        Assert.Equal((alert, "ward-3-nurse"), (acknowledgement.GetProperty("alertId").GetGuid(), acknowledgement.GetProperty("acknowledgedBy").GetString()));
        using var again = await clinician.PostAsync($"api/v1/alerts/{alert}/acknowledge", null); // idempotent
        Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);

        await _alerting.KillAsync();
        await _alerting.StartAsync();
        using var after = _alerting.CreateClient(_clinician);
        var open = await after.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}&open=true");
        Assert.Equal(0, open.GetArrayLength());
        var all = await after.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}");
        Assert.Equal("ward-3-nurse", all[0].GetProperty("acknowledgedBy").GetString());
    }

    [Fact]
    public async Task A_clinician_declines_an_alert_with_a_coded_reason_and_a_comment_recorded_once_and_never_logged()
    {
        var (patient, now) = await _events.AdmitAsync("haem-3");
        await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 2, "astct-2019/2", ["crs.fever", "crs.hypotension.fluidResponsive"]));
        using var clinician = _alerting.CreateClient(_clinician);
        var alert = (await Eventually.That(
            () => clinician.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}"),
            list => list.GetArrayLength() == 1, Deadline, $"the alert of {patient}"))[0].GetProperty("alertId").GetGuid();
        await using var stream = await SseReader.OpenAsync(clinician, $"api/v1/alerts/stream?patientId={patient}");
        const string Comment = "Line infection suspected, cultures sent (comment-7f3a)";

        async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> RespondAsync(object body)
        {
            using var response = await clinician.PostAsJsonAsync($"api/v1/alerts/{alert}/respond", body);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        // Refused, naming the field: an unknown reason, "other" without a comment, an unknown field, a third answer.
        var badReason = await RespondAsync(new { response = "declined", reason = "too-many-alerts" });
        var otherWithout = await RespondAsync(new { response = "declined", reason = "other" });
        var unknownField = await RespondAsync(new { response = "accepted", reason = "assessing", urgency = "high" });
        var maybe = await RespondAsync(new { response = "maybe", reason = "assessing" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badReason.Status);
        Assert.True(badReason.Body.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.True(otherWithout.Body.GetProperty("errors").TryGetProperty("comment", out _));
        Assert.True(unknownField.Body.GetProperty("errors").TryGetProperty("urgency", out _));
        Assert.True(maybe.Body.GetProperty("errors").TryGetProperty("response", out _));

        var declined = await RespondAsync(new { response = "declined", reason = "alternative-cause", comment = Comment });
        Assert.Equal(System.Net.HttpStatusCode.OK, declined.Status);
        var streamed = JsonDocument.Parse((await stream.NextAsync("responded", Deadline)).Data).RootElement;
        Assert.Equal((alert, "declined", "alternative-cause", "ward-3-nurse"), (streamed.GetProperty("alertId").GetGuid(), streamed.GetProperty("response").GetString(),
            streamed.GetProperty("reason").GetString(), streamed.GetProperty("respondedBy").GetString()));
        Assert.Equal(JsonValueKind.Null, streamed.GetProperty("comment").ValueKind); // the free text stays out of streams and pagers
        var acknowledged = JsonDocument.Parse((await stream.NextAsync("acknowledged", Deadline)).Data).RootElement;
        Assert.Equal(alert, acknowledged.GetProperty("alertId").GetGuid());

        Assert.Equal(System.Net.HttpStatusCode.OK, (await RespondAsync(new { response = "declined", reason = "alternative-cause", comment = Comment })).Status);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, (await RespondAsync(new { response = "accepted", reason = "treating" })).Status);

        await _alerting.KillAsync();
        await _alerting.StartAsync();
        using var after = _alerting.CreateClient(_clinician);
        var history = (await after.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}"))[0];
        Assert.Equal(("declined", "alternative-cause", Comment, "ward-3-nurse"), (history.GetProperty("response").GetProperty("response").GetString(),
            history.GetProperty("response").GetProperty("reason").GetString(), history.GetProperty("response").GetProperty("comment").GetString(),
            history.GetProperty("acknowledgedBy").GetString()));
        Assert.Equal(0, (await after.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}&open=true")).GetArrayLength());
        Assert.DoesNotContain("comment-7f3a", _alerting.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unacknowledged_critical_alert_escalates_after_its_deadline_also_across_a_restart_and_an_acknowledged_one_does_not()
    {
        var (ignored, now) = await _events.AdmitAsync("fast");
        var (acknowledged, _) = await _events.AdmitAsync("fast");
        using var reader = _alerting.CreateClient(_clinician);
        await using var stream = await SseReader.OpenAsync(reader, $"api/v1/alerts/stream?patientId={ignored}");
        await _events.PublishAsync(
            new CrsGradeChanged(Guid.NewGuid(), ignored, now, now, Guid.NewGuid(), 0, 3, "astct-2019/1", ["crs.fever", "crs.hypotension.oneVasopressor"]),
            new CrsGradeChanged(Guid.NewGuid(), acknowledged, now, now, Guid.NewGuid(), 0, 3, "astct-2019/1", ["crs.fever", "crs.hypotension.oneVasopressor"]));
        var alert = JsonDocument.Parse((await stream.NextAsync("alert", Deadline)).Data).RootElement;
        Assert.Equal(("critical", "ward-physician"), (alert.GetProperty("severity").GetString(), alert.GetProperty("tier").GetString()));
        var other = await Eventually.That(
            () => reader.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={acknowledged}"),
            list => list.GetArrayLength() == 1,
            Deadline,
            $"the alert of {acknowledged}");
        using (var clinician = _alerting.CreateClient(_clinician))
        {
            (await clinician.PostAsync($"api/v1/alerts/{other[0].GetProperty("alertId").GetGuid()}/acknowledge", null)).EnsureSuccessStatusCode();
        }

        // Killed before the deadline and back after it: the deadline is in the log, so the escalation still comes.
        await _alerting.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await _alerting.StartAsync();
        using var again = _alerting.CreateClient(_clinician);
        await using var resumed = await SseReader.OpenAsync(again, $"api/v1/alerts/stream?patientId={ignored}");
        var escalation = JsonDocument.Parse((await resumed.NextAsync("escalated", Deadline)).Data).RootElement;
        Assert.Equal((alert.GetProperty("alertId").GetGuid(), "ward-physician", "icu-outreach"), (
            escalation.GetProperty("alertId").GetGuid(), escalation.GetProperty("fromTier").GetString(), escalation.GetProperty("toTier").GetString()));

        // The acknowledged alert never escalates; the escalated one escalates no further (icu-outreach is the last tier).
        await using var quiet = await SseReader.OpenAsync(again, $"api/v1/alerts/stream?patientId={acknowledged}");
        await Assert.ThrowsAsync<TimeoutException>(() => quiet.NextAsync("escalated", TimeSpan.FromSeconds(4)));
        await Assert.ThrowsAsync<TimeoutException>(() => resumed.NextAsync("escalated", TimeSpan.FromSeconds(1)));

        // The history over HTTP: the escalated alert is at its new tier with its one step; the acknowledged one has none.
        var escalated = (await again.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={ignored}&open=true"))[0];
        Assert.Equal("icu-outreach", escalated.GetProperty("tier").GetString());
        var step = Assert.Single(escalated.GetProperty("escalations").EnumerateArray());
        Assert.Equal(("ward-physician", "icu-outreach"), (step.GetProperty("fromTier").GetString(), step.GetProperty("toTier").GetString()));
        var quietAlert = (await again.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={acknowledged}"))[0];
        Assert.Equal((0, "ward-physician", "ward-3-nurse"), (quietAlert.GetProperty("escalations").GetArrayLength(), quietAlert.GetProperty("tier").GetString(),
            quietAlert.GetProperty("acknowledgedBy").GetString()));
    }

    /// <summary>The AlertRaised events of <paramref name="patient"/> that reached the broker, once the service has been quiet for 2 s.</summary>
    private async Task<List<JsonElement>> RaisedAsync(string patient)
    {
        using var http = _alerting.CreateClient(_clinician);
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
