using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Toxicity.Alerting.Service.Tests;

/// <summary>
/// Issue 16 with Alerting as a process on the real broker: snapshots of its fold (alerts, acknowledgements, tiers, the
/// board's grades, the SSE feed, the webhook outbox) written often, the process killed (SIGKILL) while they are written
/// and started from the latest: every grade change raises one alert, none lost, and a screen resumes with
/// Last-Event-ID; a damaged snapshot file: the log folded again from its first entry, the same alerts.
/// </summary>
public sealed class SnapshotTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Patients = 8;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly ApiKey _clinician = new("ward-3-nurse", "clinician");
    private readonly List<JsonElement> _seen = [];
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private EventProbe _probe = null!;
    private ServiceProcess _alerting = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _probe = await EventProbe.StartAsync(_broker.AmqpUri, [$"{typeof(AlertRaised).Namespace}:{nameof(AlertRaised)}"]);
        _alerting = new ServiceProcess("Alerting", _broker.AmqpUri, new Dictionary<string, string>(_clinician.Settings(0))
        {
            ["Snapshots__EveryEntries"] = "5",
        });
    }

    public async Task DisposeAsync()
    {
        output.WriteLine($"== Alerting ({_alerting.BaseAddress}) ==\n{_alerting.Output}");
        await _alerting.DisposeAsync();
        await _probe.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Killed_while_snapshots_are_written_and_started_from_the_latest_it_raises_each_alert_once_and_a_screen_resumes()
    {
        await _alerting.StartAsync();
        var patients = await AdmitAsync();
        var first = patients.Select(p => Change(p, 0, 1)).ToList();
        await _events.PublishAsync([.. first]);
        await RaisedAsync(a => patients.All(p => a.Any(x => Patient(x) == p)), "the first alert of every patient");
        using (var http = _alerting.CreateClient(_clinician))
        {
            var alert = (await http.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patients[0]}"))[0].GetProperty("alertId").GetGuid();
            (await http.PostAsync($"api/v1/alerts/{alert}/acknowledge", null)).EnsureSuccessStatusCode();
        }

        var lastEventId = await LastFeedIdAsync(patients[1]);

        // A worse change for each patient, and the process killed while it folds them (a snapshot every 5 entries).
        var second = patients.Select(p => Change(p, 1, 3)).ToList();
        var burst = _events.PublishAsync([.. second]);
        await Task.Delay(15);
        await _alerting.KillAsync();
        await burst;

        await _alerting.StartAsync();
        Assert.Contains("Fold restored from the snapshot at offset", _alerting.Output, StringComparison.Ordinal);
        var raised = await RaisedAsync(a => patients.All(p => a.Count(x => Patient(x) == p) >= 2), "the second alert of every patient");
        await Task.Delay(TimeSpan.FromSeconds(2)); // a repeated publication would follow within milliseconds
        raised = await RaisedAsync(_ => true, "everything so far");

        Assert.Equal(raised.Count, raised.Select(a => a.GetProperty("eventId").GetGuid()).Distinct().Count());
        for (var i = 0; i < Patients; i++)
        {
            Assert.Equal([first[i].EventId, second[i].EventId], raised.Where(a => Patient(a) == patients[i]).Select(a => a.GetProperty("causedByEventId").GetGuid()));
        }

        using var again = _alerting.CreateClient(_clinician);
        var alerts = await again.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patients[0]}");
        Assert.Equal([1, 3], alerts.EnumerateArray().Select(a => a.GetProperty("newGrade").GetInt32()));
        Assert.Equal(JsonValueKind.String, alerts[0].GetProperty("acknowledgedAt").ValueKind); // the acknowledgement came back with the fold
        await using var resumed = await SseReader.OpenAsync(again, $"api/v1/alerts/stream?patientId={patients[1]}", lastEventId);
        var missed = JsonDocument.Parse((await resumed.NextAsync("alert", Deadline)).Data).RootElement;
        Assert.Equal((1, 3, second[1].EventId), (missed.GetProperty("previousGrade").GetInt32(), missed.GetProperty("newGrade").GetInt32(),
            missed.GetProperty("causedByEventId").GetGuid()));
    }

    [Fact]
    public async Task A_damaged_snapshot_file_is_not_used_the_log_is_folded_again_and_the_alerts_are_the_same()
    {
        await _alerting.StartAsync();
        var patients = await AdmitAsync();
        await _events.PublishAsync([.. patients.Select(p => Change(p, 0, 2))]);
        await RaisedAsync(a => patients.All(p => a.Any(x => Patient(x) == p)), "the alert of every patient");
        var before = await AlertsAsync(patients);
        await _alerting.StopAsync(); // a graceful stop writes a snapshot
        Assert.Contains("Snapshot at offset", _alerting.Output, StringComparison.Ordinal);

        await _alerting.DamageSnapshotFileAsync();

        await _alerting.StartAsync();
        Assert.DoesNotContain("Fold restored from the snapshot", _alerting.Output, StringComparison.Ordinal);
        Assert.Matches("Snapshot (not used|file not readable)", _alerting.Output);
        Assert.Equal(before, await AlertsAsync(patients));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(Patients, (await RaisedAsync(_ => true, "everything so far")).Count); // nobody paged again
    }

    private static CrsGradeChanged Change(string patient, int from, int to)
    {
        var now = DateTimeOffset.UtcNow;
        return new(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), from, to, "astct-2019/1", to >= 3 ? ["crs.fever", "crs.hypotension.oneVasopressor"] : ["crs.fever"]);
    }

    private static string Patient(JsonElement alert) => alert.GetProperty("patientId").GetString()!;

    private async Task<List<string>> AdmitAsync()
    {
        var patients = new List<string>();
        for (var i = 0; i < Patients; i++)
        {
            patients.Add((await _events.AdmitAsync("haem-3")).Patient);
        }

        return patients;
    }

    /// <summary>The SSE id of the last entry of <paramref name="patient"/>'s stream so far.</summary>
    private async Task<string> LastFeedIdAsync(string patient)
    {
        using var http = _alerting.CreateClient(_clinician);
        await using var stream = await SseReader.OpenAsync(http, $"api/v1/alerts/stream?patientId={patient}");
        return (await stream.NextAsync("alert", Deadline)).EventId ?? throw new InvalidOperationException("an alert without an SSE id");
    }

    private async Task<List<string>> AlertsAsync(List<string> patients)
    {
        using var http = _alerting.CreateClient(_clinician);
        var answers = new List<string>();
        foreach (var patient in patients)
        {
            answers.Add((await http.GetFromJsonAsync<JsonElement>($"api/v1/alerts?patientId={patient}")).ToString());
        }

        return answers;
    }

    /// <summary>Every AlertRaised that reached the probe so far (in arrival order), once <paramref name="until"/> holds for them.</summary>
    private Task<List<JsonElement>> RaisedAsync(Func<List<JsonElement>, bool> until, string what) =>
        Eventually.That(
            async () =>
            {
                var now = DateTimeOffset.UtcNow;
                var marker = new AlertRaised(Guid.NewGuid(), $"marker-{Guid.NewGuid():N}", now, now, Guid.NewGuid(), "crs", 0, 0, "info", "marker");
                await _events.PublishAsync(marker);
                _seen.AddRange((await _probe.DrainUntilAsync(marker.EventId, Deadline)).Where(m => m.GetProperty("eventId").GetGuid() != marker.EventId));
                return _seen.ToList();
            },
            until,
            Deadline,
            what);
}
