using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Toxicity.Mitigation.Service.Tests;

/// <summary>
/// Issue 16 with Mitigation as a process on the real broker: snapshots of its fold (every patient's plan, course, grades
/// and advice) written often, the process killed (SIGKILL) while they are written and started from the latest: each
/// cause's advice published once, none lost; a damaged snapshot file: the log folded again from its first entry, the
/// same advice and course for every patient.
/// </summary>
public sealed class SnapshotTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Patients = 8;
    private const string Regimen = "blinatumomab-rr-ball-45kg-and-over";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly ApiKey _clinician = new("test-clinician", "clinician");
    private readonly List<JsonElement> _seen = [];
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private EventProbe _probe = null!;
    private ServiceProcess _mitigation = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _probe = await EventProbe.StartAsync(_broker.AmqpUri, [$"{typeof(MitigationAdvised).Namespace}:{nameof(MitigationAdvised)}"]);
        _mitigation = new ServiceProcess("Mitigation", _broker.AmqpUri, new Dictionary<string, string>(_clinician.Settings(0))
        {
            ["Mitigation__Jurisdiction"] = "US",
            ["Snapshots__EveryEntries"] = "5",
        });
    }

    public async Task DisposeAsync()
    {
        output.WriteLine($"== Mitigation ({_mitigation.BaseAddress}) ==\n{_mitigation.Output}");
        await _mitigation.DisposeAsync();
        await _probe.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Killed_while_snapshots_are_written_and_started_from_the_latest_it_publishes_each_causes_advice_once()
    {
        await _mitigation.StartAsync();
        var patients = await AdmitWithPlansAsync();
        var first = patients.Select(CtcaeThree).ToList();
        await _events.PublishAsync([.. first]);
        await AdvisedAsync(a => patients.All(p => a.Count(x => Patient(x) == p) >= 1), "the first advice of every patient");

        // A second cause for each patient, and the process killed while it folds them (a snapshot every 5 entries).
        var second = patients.Select(AstctThree).ToList();
        var burst = _events.PublishAsync([.. second]);
        await Task.Delay(15);
        await _mitigation.KillAsync();
        await burst;

        await _mitigation.StartAsync();
        Assert.Contains("Fold restored from the snapshot at offset", _mitigation.Output, StringComparison.Ordinal);
        var advised = await AdvisedAsync(a => patients.All(p => a.Count(x => Patient(x) == p) >= 2), "the second advice of every patient");
        await Task.Delay(TimeSpan.FromSeconds(2)); // a repeated publication would follow within milliseconds
        advised = await AdvisedAsync(_ => true, "everything so far");

        Assert.Equal(advised.Count, advised.Select(a => a.GetProperty("eventId").GetGuid()).Distinct().Count());
        for (var i = 0; i < Patients; i++)
        {
            var theirs = advised.Where(a => Patient(a) == patients[i]).ToList();
            Assert.Equal([first[i].EventId, second[i].EventId], theirs.Select(a => a.GetProperty("causedByEventId").GetGuid()));
            Assert.Equal([EventIds.Derive(first[i].EventId, "mitigation-advised"), EventIds.Derive(second[i].EventId, "mitigation-advised")],
                theirs.Select(a => a.GetProperty("eventId").GetGuid()));
        }

        // The restored fold answers the plan and both pieces of advice.
        using var http = _mitigation.CreateClient(_clinician);
        foreach (var patient in patients)
        {
            var advice = await http.GetFromJsonAsync<JsonElement>($"api/v1/patients/{patient}/advice");
            Assert.Equal(Regimen, advice.GetProperty("regimenId").GetString());
            Assert.Equal(2, advice.GetProperty("advised").GetArrayLength());
        }
    }

    [Fact]
    public async Task A_damaged_snapshot_file_is_not_used_the_log_is_folded_again_and_every_patient_has_the_same_advice_and_course()
    {
        await _mitigation.StartAsync();
        var patients = await AdmitWithPlansAsync();
        await _events.PublishAsync([.. patients.Select(CtcaeThree)]);
        await AdvisedAsync(a => patients.All(p => a.Any(x => Patient(x) == p)), "the advice of every patient");
        var before = await AnswersAsync(patients);
        await _mitigation.StopAsync(); // a graceful stop writes a snapshot
        Assert.Contains("Snapshot at offset", _mitigation.Output, StringComparison.Ordinal);

        await _mitigation.DamageSnapshotFileAsync();

        await _mitigation.StartAsync();
        Assert.DoesNotContain("Fold restored from the snapshot", _mitigation.Output, StringComparison.Ordinal);
        Assert.Matches("Snapshot (not used|file not readable)", _mitigation.Output);
        Assert.Equal(before, await AnswersAsync(patients));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(Patients, (await AdvisedAsync(_ => true, "everything so far")).Count); // nothing published again
    }

    private static CtcaeCrsGradeChanged CtcaeThree(string patient)
    {
        var now = DateTimeOffset.UtcNow;
        return new(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 2, 3, "ctcae-5.0-crs/2", ["ctcae.crs.hypotension.onePressor"], false);
    }

    private static CrsGradeChanged AstctThree(string patient)
    {
        var now = DateTimeOffset.UtcNow;
        return new(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 2, 3, "astct-2019/2", ["crs.fever", "crs.hypotension.oneVasopressor"],
            3, 3, "ctcae-5.0-crs/2", ["ctcae.crs.hypotension.onePressor"]);
    }

    // No dose due or late while the test runs: the clock's reviews give no advice of their own.
    private static readonly string FarAhead = DateTime.UtcNow.AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Patient(JsonElement advised) => advised.GetProperty("patientId").GetString()!;

    private async Task<List<string>> AdmitWithPlansAsync()
    {
        var patients = Enumerable.Range(0, Patients).Select(_ => $"p-{Guid.NewGuid():N}"[..14]).ToList();
        var now = DateTimeOffset.UtcNow;
        await _events.PublishAsync([.. patients.Select(p => new PatientAdmitted(Guid.NewGuid(), p, now, now, 40, 70, 175, 1.85, "B-ALL", "haem-3", null))]);
        using var http = _mitigation.CreateClient(_clinician);
        foreach (var patient in patients)
        {
            await Eventually.That(
                async () =>
                {
                    using var response = await http.PutAsJsonAsync($"api/v1/patients/{patient}/treatment-plan", new { regimenId = Regimen, cycle1Day1 = FarAhead });
                    return response.StatusCode;
                },
                status => status == HttpStatusCode.OK,
                Deadline,
                $"the plan of {patient} recorded");
        }

        return patients;
    }

    /// <summary>What a clinician sees of each patient: the plan with its course, and the advice given.</summary>
    private async Task<List<string>> AnswersAsync(List<string> patients)
    {
        using var http = _mitigation.CreateClient(_clinician);
        var answers = new List<string>();
        foreach (var patient in patients)
        {
            var advice = await http.GetFromJsonAsync<JsonElement>($"api/v1/patients/{patient}/advice");
            var plan = await http.GetFromJsonAsync<JsonElement>($"api/v1/patients/{patient}/treatment-plan");
            answers.Add($"{advice.GetProperty("advised")} {advice.GetProperty("course")} {plan.GetProperty("course")}");
        }

        return answers;
    }

    /// <summary>Every MitigationAdvised that reached the probe so far (in arrival order), once <paramref name="until"/> holds for them.</summary>
    private Task<List<JsonElement>> AdvisedAsync(Func<List<JsonElement>, bool> until, string what) =>
        Eventually.That(
            async () =>
            {
                var now = DateTimeOffset.UtcNow;
                var marker = new MitigationAdvised(Guid.NewGuid(), "marker", now, now, Guid.NewGuid(), []);
                await _events.PublishAsync(marker);
                _seen.AddRange((await _probe.DrainUntilAsync(marker.EventId, Deadline)).Where(m => m.GetProperty("eventId").GetGuid() != marker.EventId));
                return _seen.ToList();
            },
            until,
            Deadline,
            what);
}
