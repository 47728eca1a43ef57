using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>
/// What rule set astct-2019/2 asks of alerts (CLINICAL-RULES.md §8.1, §8.2 C2-OD-1), Alerting as a process on the real
/// broker: a lower bound reads "at least N" and names the reading missing, a provisional grade reads "possible CRS, to
/// confirm", and an overdue-observation notice goes to the ward's first tier, then the next, and its clearing to both,
/// on the stream, the board and webhooks, also after a SIGKILL and restart, never as a grade alert.
/// </summary>
public sealed class RuleSetTwoAlertTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ApiKey _clinician = new("ward-3-nurse", "clinician");
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private WebhookReceiver _nurse = null!;
    private WebhookReceiver _physician = null!;
    private ServiceProcess _alerting = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _nurse = WebhookReceiver.Start(_ => 204);
        _physician = WebhookReceiver.Start(_ => 204);
        var settings = new Dictionary<string, string>(_clinician.Settings(0));
        foreach (var (name, receiver, tier) in new[] { ("nurse", _nurse, "bedside-nurse"), ("physician", _physician, "ward-physician") })
        {
            settings[$"Alerting__Webhooks__Subscribers__{name}__Url"] = receiver.Url.ToString();
            settings[$"Alerting__Webhooks__Subscribers__{name}__Secret"] = WebhookReceiver.NewSecret();
            settings[$"Alerting__Webhooks__Subscribers__{name}__Tiers__0"] = tier;
        }

        _alerting = new ServiceProcess("Alerting", _broker.AmqpUri, settings);
        await _alerting.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _alerting.DisposeAsync();
        await _nurse.DisposeAsync();
        await _physician.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task A_lower_bound_reads_at_least_N_and_names_the_reading_missing_on_the_stream_and_the_board()
    {
        var (patient, now) = await _events.AdmitAsync("haem-3");
        using var http = _alerting.CreateClient(_clinician);
        await using var stream = await SseReader.OpenAsync(http, $"api/v1/alerts/stream?patientId={patient}");

        await _events.PublishAsync(new IcansGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 2, 2, "astct-2019/2",
            ["icans.consciousness.awakensToVoice", "icans.lowerBound.scoreMissing"], LowerBound: true, Provisional: false, Stale: false));

        var alert = JsonDocument.Parse((await stream.NextAsync("alert", Deadline)).Data).RootElement;
        Assert.Equal($"ICANS at least 2 (rose from 0) for patient {patient}: ICE (or CAPD) not charted", alert.GetProperty("summary").GetString());
        Assert.True(alert.GetProperty("lowerBound").GetBoolean());
        var board = await http.GetFromJsonAsync<JsonElement>("api/v1/board?ward=haem-3");
        var row = board.GetProperty("patients").EnumerateArray().Single(p => p.GetProperty("patientId").GetString() == patient);
        Assert.Equal((2, true), (row.GetProperty("icans").GetInt32(), row.GetProperty("icansLowerBound").GetBoolean()));
    }

    [Fact]
    public async Task A_provisional_grade_reads_possible_CRS_to_confirm_and_its_confirmation_at_the_same_number_is_a_notice()
    {
        var (patient, now) = await _events.AdmitAsync("haem-3");
        using var http = _alerting.CreateClient(_clinician);
        await using var stream = await SseReader.OpenAsync(http, $"api/v1/alerts/stream?patientId={patient}");

        await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 3, "astct-2019/2",
            ["crs.possibleMaskedFever", "crs.hypotension.oneVasopressor"], 3, 3, "ctcae-5.0-crs/2", [], LowerBound: false, Provisional: true));
        var possible = JsonDocument.Parse((await stream.NextAsync("alert", Deadline)).Data).RootElement;
        await _events.PublishAsync(new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 3, 3, "astct-2019/2",
            ["crs.fever", "crs.hypotension.oneVasopressor"], 3, 3, "ctcae-5.0-crs/2", [], LowerBound: false, Provisional: false));
        var confirmed = JsonDocument.Parse((await stream.NextAsync("alert", Deadline)).Data).RootElement;

        Assert.Equal($"Possible CRS, to confirm: CRS grade rose from 0 to 3 for patient {patient} (premedication may mask fever)", possible.GetProperty("summary").GetString());
        Assert.Equal(("alert", "critical", true), (possible.GetProperty("kind").GetString(), possible.GetProperty("severity").GetString(), possible.GetProperty("provisional").GetBoolean()));
        Assert.Equal($"CRS grade 3 for patient {patient} confirmed (no longer possible CRS)", confirmed.GetProperty("summary").GetString());
        Assert.Equal("notice", confirmed.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task C2_OD_1_an_overdue_notice_goes_to_the_first_tier_then_the_next_and_its_clearing_to_both_also_after_a_restart()
    {
        var (patient, now) = await _events.AdmitAsync("haem-3");
        using var http = _alerting.CreateClient(_clinician);
        await using (var stream = await SseReader.OpenAsync(http, $"api/v1/alerts/stream?patientId={patient}"))
        {
            await _events.PublishAsync(Overdue(patient, now, "overdue"));
            var notice = JsonDocument.Parse((await stream.NextAsync("overdue", Deadline)).Data).RootElement;
            Assert.Equal(($"Temperature overdue for patient {patient}", "bedside-nurse", "stale"),
                (notice.GetProperty("summary").GetString(), notice.GetProperty("tier").GetString(), notice.GetProperty("reason").GetString()));
        }

        var first = await _nurse.NextAsync(r => Is(r, patient, "overdue"), Deadline, "the first tier's overdue notice");
        Assert.Equal("observation.overdue", first.Type);
        Assert.Contains((await BoardAsync(http)).GetProperty("overdue").EnumerateArray(), o => o.GetProperty("patientId").GetString() == patient);

        await _alerting.KillAsync();
        await _alerting.StartAsync();
        using var again = _alerting.CreateClient(_clinician);
        // Folded again from the log: still on the board.
        Assert.Contains((await BoardAsync(again)).GetProperty("overdue").EnumerateArray(), o => o.GetProperty("reading").GetString() == "temperature"
            && o.GetProperty("patientId").GetString() == patient);

        await _events.PublishAsync(Overdue(patient, now.AddHours(2), "stillOverdue"));
        await _physician.NextAsync(r => Is(r, patient, "stillOverdue"), Deadline, "the next tier's notice");
        await _events.PublishAsync(Overdue(patient, now.AddHours(2.5), "cleared"));
        await _nurse.NextAsync(r => Is(r, patient, "cleared"), Deadline, "the first tier told it is cleared");
        await _physician.NextAsync(r => Is(r, patient, "cleared"), Deadline, "the next tier told it is cleared");

        // One notification (one webhook-id): sent again only if the kill came before its delivery was recorded.
        Assert.Single(_nurse.Received.Where(r => Is(r, patient, "overdue")).Select(r => r.Id).Distinct());
        Assert.DoesNotContain(_nurse.Received, r => Is(r, patient, "stillOverdue"));
        Assert.DoesNotContain(_physician.Received, r => Is(r, patient, "overdue"));
        Assert.DoesNotContain((await BoardAsync(again)).GetProperty("overdue").EnumerateArray(), o => o.GetProperty("patientId").GetString() == patient);
        // A notice of its own kind: never a grade alert.
        Assert.Equal(0, (await again.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}")).GetArrayLength());
    }

    private static ObservationOverdue Overdue(string patient, DateTimeOffset at, string status) => new(
        Guid.NewGuid(), patient, at, at, Guid.NewGuid(), "temperature", status, at.AddHours(-1), status == "cleared" ? null : "stale", at.AddHours(-7), "astct-2019/2");

    private static bool Is(ReceivedWebhook received, string patient, string status)
    {
        var data = received.Json.GetProperty("data");
        return received.Type == "observation.overdue" && data.GetProperty("patientId").GetString() == patient && data.GetProperty("status").GetString() == status;
    }

    private static Task<JsonElement> BoardAsync(HttpClient http) => http.GetFromJsonAsync<JsonElement>("api/v1/board?ward=haem-3");
}
