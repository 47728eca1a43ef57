using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>
/// Webhooks from the Alerting process (Kestrel, real broker) to real HTTP receivers: each notification signed as
/// Standard Webhooks say (checked here with the spec's formula, not with our own verifier), retried with back-off, a
/// circuit per subscriber, failures kept in the log and listed, one hung subscriber delaying nobody else, tiers mapped
/// to subscribers, and nothing sent twice across a kill -9.
/// </summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ApiKey _clinician = new("ward-3-nurse", "clinician");
    private readonly string _pagerSecret = WebhookReceiver.NewSecret();
    private readonly string _otherSecret = WebhookReceiver.NewSecret();
    private readonly HashSet<string> _flakySeen = [];
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private EventProbe _delivered = null!;
    private WebhookReceiver _pager = null!;
    private WebhookReceiver _outreach = null!;
    private WebhookReceiver _stuck = null!;
    private WebhookReceiver _broken = null!;
    private WebhookReceiver _flaky = null!;
    private ServiceProcess _alerting = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _delivered = await EventProbe.StartAsync(_broker.AmqpUri, [$"{typeof(WebhookDelivered).Namespace}:{nameof(WebhookDelivered)}"]);
        _pager = WebhookReceiver.Start(_ => 204);
        _outreach = WebhookReceiver.Start(_ => 200);
        _stuck = WebhookReceiver.Start(_ => null);
        _broken = WebhookReceiver.Start(_ => 503);
        _flaky = WebhookReceiver.Start(r =>
        {
            lock (_flakySeen)
            {
                return _flakySeen.Add(r.Id!) ? 503 : 204; // each notification fails once, then goes through
            }
        });
        var settings = new Dictionary<string, string>(_clinician.Settings(0))
        {
            // Test-shortened delivery settings and escalation deadline.
            ["Alerting__Webhooks__MaxAttempts"] = "3",
            ["Alerting__Webhooks__FirstRetryDelay"] = "00:00:00.200",
            ["Alerting__Webhooks__AttemptTimeout"] = "00:01:00",
            ["Alerting__Webhooks__BreakDuration"] = "00:01:00",
            ["Alerting__Policies__fast__EscalateCriticalAfter"] = "00:00:03",
        };
        Subscribe(settings, "pager", _pager, _pagerSecret, tiers: ["bedside-nurse", "ward-physician"]);
        Subscribe(settings, "outreach", _outreach, _otherSecret, tiers: ["icu-outreach"]);
        Subscribe(settings, "stuck", _stuck, _otherSecret, wards: ["stuck-ward"]);
        Subscribe(settings, "broken", _broken, _otherSecret, wards: ["broken-ward"]);
        Subscribe(settings, "flaky", _flaky, _otherSecret, wards: ["flaky-ward"]);
        _alerting = new ServiceProcess("Alerting", _broker.AmqpUri, settings);
        await _alerting.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _alerting.DisposeAsync();
        foreach (var receiver in new[] { _pager, _outreach, _stuck, _broken, _flaky })
        {
            await receiver.DisposeAsync();
        }

        await _delivered.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task A_grade_change_reaches_the_pager_signed_as_Standard_Webhooks_say_while_a_hung_subscriber_holds_only_its_own_delivery()
    {
        var (patient, now) = await _events.AdmitAsync("stuck-ward");
        await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 1, "astct-2019/1", ["crs.fever"]));
        await _stuck.NextAsync(r => Is(r, patient, 1), Deadline, "the hung subscriber's first request");

        // The hung subscriber has a request open and answers nothing; the next alert still reaches the pager at once.
        await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 1, 2, "astct-2019/1", ["crs.fever", "crs.hypotension.fluidResponsive"]));
        var page = await _pager.NextAsync(r => Is(r, patient, 2), Deadline, "the pager's alert for CRS 2");
        Assert.Equal(0, _stuck.Answered);

        var alerts = await ClinicianGetAsync($"api/v1/alerts?patientId={patient}");
        Assert.Equal(alerts[1].GetProperty("alertId").GetGuid().ToString(), page.Id);
        Assert.Equal("alert.raised", page.Type);
        var data = page.Json.GetProperty("data");
        Assert.Equal(("crs", 1, 2, "warning", "ward-physician", "stuck-ward"), (data.GetProperty("scale").GetString(), data.GetProperty("previousGrade").GetInt32(),
            data.GetProperty("newGrade").GetInt32(), data.GetProperty("severity").GetString(), data.GetProperty("tier").GetString(), data.GetProperty("ward").GetString()));

        // The signature, by the spec's own formula: v1,base64(HMAC-SHA256(key, id.timestamp.body)), timestamp recent.
        var key = Convert.FromBase64String(_pagerSecret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{page.Id}.{page.Timestamp}.").Concat(page.Body).ToArray();
        Assert.Equal($"v1,{Convert.ToBase64String(HMACSHA256.HashData(key, signed))}", page.Signature);
        Assert.InRange(long.Parse(page.Timestamp!, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        // The same check with the library a receiver can use; and a changed body or another key fails it.
        Assert.True(WebhookSignature.Verify(key, page.Id!, page.Timestamp!, page.Signature!, page.Body, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance));
        var tampered = page.Body.ToArray();
        tampered[^2] ^= 1;
        Assert.False(WebhookSignature.Verify(key, page.Id!, page.Timestamp!, page.Signature!, tampered, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify(WebhookSignature.DecodeSecret(_otherSecret), page.Id!, page.Timestamp!, page.Signature!, page.Body, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance));

        // Tier mapping: the outreach team is paged for icu-outreach only, not for a ward-physician alert.
        Assert.DoesNotContain(_outreach.Received, r => r.Json.GetProperty("data").GetProperty("patientId").GetString() == patient);
    }

    [Fact]
    public async Task A_subscriber_that_keeps_failing_is_retried_then_its_circuit_opens_and_every_failed_delivery_is_kept_and_listed_also_after_a_restart()
    {
        var patients = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (patient, now) = await _events.AdmitAsync("broken-ward");
            patients.Add(patient);
            await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 1, "astct-2019/1", ["crs.fever"]));
        }

        var failed = await Eventually.That(
            () => ClinicianGetAsync("api/v1/webhooks/failed?subscriber=broken"),
            list => patients.All(p => list.EnumerateArray().Any(f => f.GetProperty("patientId").GetString() == p)),
            Deadline,
            "a failed delivery listed for each of the 5 alerts");
        var mine = failed.EnumerateArray().Where(f => patients.Contains(f.GetProperty("patientId").GetString()!)).ToList();
        Assert.All(mine, f => Assert.Equal("alert.raised", f.GetProperty("notificationType").GetString()));
        Assert.All(mine, f => Assert.InRange(f.GetProperty("attempts").GetInt32(), 0, 3));
        Assert.All(mine, f => Assert.Contains(f.GetProperty("lastError").GetString(), new[] { "HTTP 503", "circuit open" }));
        // The circuit opened after 4 failures: later attempts failed fast, without reaching the subscriber (at most 3
        // attempts each would be 15 requests); the attempts recorded are exactly the requests it received.
        Assert.Contains(mine, f => f.GetProperty("lastError").GetString() == "circuit open" && f.GetProperty("lastStatusCode").GetInt32() == 503);
        var requests = _broken.Received.Count(r => patients.Contains(r.Json.GetProperty("data").GetProperty("patientId").GetString()!));
        Assert.InRange(requests, 4, 14);
        Assert.Equal(requests, mine.Sum(f => f.GetProperty("attempts").GetInt32()));
        var subscribers = await ClinicianGetAsync("api/v1/webhooks");
        Assert.Equal("open", subscribers.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "broken").GetProperty("circuit").GetString());
        Assert.Equal("closed", subscribers.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "pager").GetProperty("circuit").GetString());
        // Meanwhile the pager got every one of those alerts.
        foreach (var patient in patients)
        {
            await _pager.NextAsync(r => Is(r, patient, 1), Deadline, $"the pager's alert for {patient}");
        }

        await _alerting.KillAsync();
        await _alerting.StartAsync();
        var after = await ClinicianGetAsync("api/v1/webhooks/failed?subscriber=broken");
        Assert.Equal(mine.Select(f => f.GetProperty("eventId").GetGuid()),
            after.EnumerateArray().Where(f => patients.Contains(f.GetProperty("patientId").GetString()!)).Select(f => f.GetProperty("eventId").GetGuid()));
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_with_the_same_webhook_id_and_a_fresh_valid_signature_and_then_not_again()
    {
        var (patient, now) = await _events.AdmitAsync("flaky-ward");
        await _events.PublishAsync(new IcansGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 1, 1, "astct-2019/1", ["icans.ice.8"]));

        var attempts = await Eventually.That(
            () => Task.FromResult(_flaky.Received.Where(r => r.Json.GetProperty("data").GetProperty("patientId").GetString() == patient).ToList()),
            list => list.Count == 2,
            Deadline,
            "a failed attempt and its retry");
        Assert.Equal(attempts[0].Id, attempts[1].Id);
        var key = WebhookSignature.DecodeSecret(_otherSecret);
        Assert.All(attempts, a => Assert.True(WebhookSignature.Verify(key, a.Id!, a.Timestamp!, a.Signature!, a.Body, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance)));
        Assert.Equal(attempts[0].Body, attempts[1].Body);
        await Consistently.That(
            () => Task.FromResult(_flaky.Received.Count(r => r.Id == attempts[0].Id)),
            count => count == 2,
            TimeSpan.FromSeconds(2),
            "a delivered notification is not sent again");
    }

    [Fact]
    public async Task After_a_kill_9_a_delivered_notification_is_not_sent_again_and_one_still_in_flight_is_sent_again_with_its_id()
    {
        var (patient, now) = await _events.AdmitAsync("stuck-ward");
        await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 1, "astct-2019/1", ["crs.fever"]));
        var delivered = await _pager.NextAsync(r => Is(r, patient, 1), Deadline, "the pager's alert");
        var hung = await _stuck.NextAsync(r => Is(r, patient, 1), Deadline, "the hung subscriber's request");
        Assert.Equal(delivered.Id, hung.Id);
        // The pager's delivery is recorded in the log before the kill; the hung one is not.
        await _delivered.DrainUntilAsync(e => e.GetProperty("notificationId").GetString() == delivered.Id && e.GetProperty("subscriber").GetString() == "pager", Deadline,
            "the pager's WebhookDelivered");

        await _alerting.KillAsync();
        await _alerting.StartAsync();

        await Eventually.That(
            () => Task.FromResult(_stuck.Received.Count(r => r.Id == hung.Id)),
            count => count == 2,
            Deadline,
            "the undelivered notification sent again after the restart, with the same webhook-id");
        await Consistently.That(
            () => Task.FromResult(_pager.Received.Count(r => r.Id == delivered.Id)),
            count => count == 1,
            TimeSpan.FromSeconds(2),
            "the delivered notification is not sent again after the restart");
    }

    [Fact]
    public async Task An_escalation_pages_the_next_tier_subscriber_and_an_acknowledgement_reaches_every_tier_paged()
    {
        var (patient, now) = await _events.AdmitAsync("fast");
        await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 3, "astct-2019/1", ["crs.fever", "crs.hypotension.oneVasopressor"]));
        var raised = await _pager.NextAsync(r => Is(r, patient, 3), Deadline, "the pager's critical alert");

        var escalated = await _outreach.NextAsync(r => r.Type == "alert.escalated" && r.Json.GetProperty("data").GetProperty("alert").GetProperty("alertId").GetString() == raised.Id,
            Deadline, "the outreach team paged on escalation");
        var data = escalated.Json.GetProperty("data");
        Assert.Equal(("ward-physician", "icu-outreach", "critical"), (data.GetProperty("fromTier").GetString(), data.GetProperty("toTier").GetString(),
            data.GetProperty("alert").GetProperty("severity").GetString()));
        Assert.DoesNotContain(_pager.Received, r => r.Type == "alert.escalated" && r.Json.GetProperty("data").GetProperty("alert").GetProperty("alertId").GetString() == raised.Id);

        using var clinician = _alerting.CreateClient(_clinician);
        (await clinician.PostAsync($"api/v1/alerts/{raised.Id}/acknowledge", null)).EnsureSuccessStatusCode();
        foreach (var receiver in new[] { _pager, _outreach })
        {
            var stop = await receiver.NextAsync(r => r.Type == "alert.acknowledged" && r.Json.GetProperty("data").GetProperty("alertId").GetString() == raised.Id,
                Deadline, "the acknowledgement to a tier that was paged");
            Assert.Equal("ward-3-nurse", stop.Json.GetProperty("data").GetProperty("acknowledgedBy").GetString());
        }
    }

    [Fact]
    public async Task A_subscriber_that_never_answers_times_out_on_each_attempt_and_the_failure_is_listed_as_a_timeout()
    {
        var settings = new Dictionary<string, string>(_clinician.Settings(0))
        {
            ["Alerting__Webhooks__MaxAttempts"] = "2",
            ["Alerting__Webhooks__FirstRetryDelay"] = "00:00:00.200",
            ["Alerting__Webhooks__AttemptTimeout"] = "00:00:01",
        };
        Subscribe(settings, "stuck", _stuck, _otherSecret);
        await using var alerting = new ServiceProcess("Alerting", _broker.AmqpUri, settings);
        await _alerting.StopAsync(); // this test's own Alerting, with a 1 s attempt timeout
        await alerting.StartAsync();
        var (patient, now) = await _events.AdmitAsync("haem-3");
        await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 1, "astct-2019/1", ["crs.fever"]));

        using var http = alerting.CreateClient(_clinician);
        var failed = await Eventually.That(
            () => http.GetFromJsonAsync<JsonElement>("api/v1/webhooks/failed?subscriber=stuck"),
            list => list.EnumerateArray().Any(f => f.GetProperty("patientId").GetString() == patient),
            Deadline,
            "the timed-out delivery listed");
        var failure = failed.EnumerateArray().Single(f => f.GetProperty("patientId").GetString() == patient);
        Assert.Equal(("timeout", 2, JsonValueKind.Null), (failure.GetProperty("lastError").GetString(), failure.GetProperty("attempts").GetInt32(),
            failure.GetProperty("lastStatusCode").ValueKind));
        Assert.Equal(2, _stuck.Received.Count(r => r.Json.GetProperty("data").GetProperty("patientId").GetString() == patient));
    }

    [Fact]
    public async Task A_subscriber_with_a_malformed_secret_stops_the_service_at_start_naming_the_key_and_never_the_secret()
    {
        const string secret = "whsec_dG9vLXNob3J0";
        await using var misconfigured = new ServiceProcess("Alerting", _broker.AmqpUri, new Dictionary<string, string>
        {
            ["Alerting__Webhooks__Subscribers__pager__Url"] = _pager.Url.ToString(),
            ["Alerting__Webhooks__Subscribers__pager__Secret"] = secret,
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(misconfigured.StartAsync);
        Assert.Contains("Alerting:Webhooks:Subscribers:pager:Secret: a webhook secret holds 24 to 64 random bytes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    private static void Subscribe(Dictionary<string, string> settings, string name, WebhookReceiver receiver, string secret, string[]? tiers = null, string[]? wards = null)
    {
        var prefix = $"Alerting__Webhooks__Subscribers__{name}__";
        settings[prefix + "Url"] = receiver.Url.ToString();
        settings[prefix + "Secret"] = secret;
        foreach (var (tier, i) in (tiers ?? []).Select((t, i) => (t, i)))
        {
            settings[$"{prefix}Tiers__{i}"] = tier;
        }

        foreach (var (ward, i) in (wards ?? []).Select((w, i) => (w, i)))
        {
            settings[$"{prefix}Wards__{i}"] = ward;
        }
    }

    /// <summary>An <c>alert.raised</c> for <paramref name="patient"/> to grade <paramref name="grade"/>.</summary>
    private static bool Is(ReceivedWebhook received, string patient, int grade)
    {
        var data = received.Json.GetProperty("data");
        return received.Type == "alert.raised" && data.GetProperty("patientId").GetString() == patient && data.GetProperty("newGrade").GetInt32() == grade;
    }

    private async Task<JsonElement> ClinicianGetAsync(string path)
    {
        using var http = _alerting.CreateClient(_clinician);
        return await http.GetFromJsonAsync<JsonElement>(path);
    }
}
