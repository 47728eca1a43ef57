using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;
using static Toxicity.Grading.Service.Tests.GradeWatch;

namespace Toxicity.Grading.Service.Tests;

/// <summary>
/// Issue 16 with Grading as a process on the real broker: snapshots written often, the process killed (SIGKILL) while
/// they are written, started again from the latest: no grade change lost or repeated; a damaged snapshot file: the log
/// folded again from its first entry, the same grades; new windows over an existing log: nobody is paged for what the
/// replay decides for causes handled long ago, while Audit's regrade shows the differences.
/// </summary>
public sealed class SnapshotTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Patients = 12;

    private readonly ApiKey _clinician = new("test-clinician", "clinician");
    private readonly ApiKey _auditor = new("test-auditor", "auditor");
    private readonly List<ServiceProcess> _processes = [];
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private EventProbe _probe = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _probe = await ProbeAsync(_broker.AmqpUri);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            output.WriteLine($"== {process.Service} ({process.BaseAddress}) ==\n{process.Output}");
            await process.DisposeAsync();
        }

        await _probe.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Killed_while_snapshots_are_written_and_started_from_the_latest_it_loses_and_repeats_no_grade_change()
    {
        var grading = Grading(("Snapshots__EveryEntries", "7"));
        await grading.StartAsync();
        var courses = NewCourses();
        await _events.PublishAsync(courses.SelectMany(c => c.Take(6)));
        await Eventually.That(_probe.CountAsync, n => n >= Patients, Deadline, "the first grade changes");

        var burst = _events.PublishAsync(courses.SelectMany(c => c.Skip(6)));
        await Task.Delay(15);
        await grading.KillAsync();
        await burst;

        await grading.StartAsync();
        Assert.Contains("Fold restored from the snapshot at offset", grading.Output, StringComparison.Ordinal);
        await AssertExactlyTheExpectedChangesAsync(grading, courses);
    }

    [Fact]
    public async Task A_damaged_snapshot_file_is_not_used_the_log_is_folded_again_and_the_grades_are_the_same()
    {
        var grading = Grading();
        await grading.StartAsync();
        var courses = NewCourses();
        await _events.PublishAsync(courses.SelectMany(c => c));
        var before = await GradesAsync(grading, courses);
        await grading.StopAsync(); // a graceful stop writes a snapshot
        Assert.Contains("Snapshot at offset", grading.Output, StringComparison.Ordinal);

        // Damage the file in its middle (its pages of snapshot content), as a failing disk would.
        var bytes = await File.ReadAllBytesAsync(grading.SnapshotsPath);
        Assert.True(bytes.Length > 8192, $"a snapshot file of {bytes.Length} bytes");
        Random.Shared.NextBytes(bytes.AsSpan(4096, bytes.Length - 8192));
        await File.WriteAllBytesAsync(grading.SnapshotsPath, bytes);

        await grading.StartAsync();
        Assert.DoesNotContain("Fold restored from the snapshot", grading.Output, StringComparison.Ordinal);
        Assert.Matches("Snapshot (not used|file not readable)", grading.Output);
        Assert.Equal(before, await GradesAsync(grading, courses));
        await AssertExactlyTheExpectedChangesAsync(grading, courses);
    }

    [Fact]
    public async Task Started_with_new_windows_over_an_existing_log_it_pages_nobody_for_old_causes_and_Audit_regrade_shows_the_differences()
    {
        await using var probe = await EventProbe.StartAsync(_broker.AmqpUri,
            [Exchange<CrsGradeChanged>(), Exchange<IcansGradeChanged>(), Exchange<ObservationOverdue>()]);
        var grading = Grading();
        await grading.StartAsync();
        var courses = NewCourses();
        await _events.PublishAsync(courses.SelectMany(c => c));
        await GradesAsync(grading, courses);
        await grading.StopAsync();

        // A site changes two windows: the replay decides other changes and new overdue notices for causes handled long ago.
        (string, string)[] windows = [("Grading__Windows__Temperature", "00:20:00"), ("Grading__Windows__EpisodeResolution", "00:10:00")];
        foreach (var (key, value) in windows)
        {
            grading.Set(key, value);
        }

        var regraded = grading;
        await regraded.StartAsync();
        Assert.Contains("not used by version", regraded.Output, StringComparison.Ordinal); // the snapshot's windows differ
        var marker = new CrsGradeChanged(Guid.NewGuid(), "marker", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, Guid.NewGuid(), 0, 0, "marker", []);
        var drained = await Drain(probe, marker);
        Assert.NotEmpty(drained);

        // A live fever for one patient, days later: its own change is published, nothing decided for the old causes.
        var patient = courses[0][0].PatientId;
        var fever = new VitalSignsRecorded(Guid.NewGuid(), patient, Courses.Start.AddHours(200), DateTimeOffset.UtcNow, 39.1, 110, 20, 118, 70, 97,
            OxygenDevice: "none", Hypotensive: false, Vasopressors: []);
        await _events.PublishAsync(fever);
        using (var http = regraded.CreateClient(_clinician))
        {
            await SettledAsync(http, patient, courses[0].Length + 1);
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // owed effects would go out with the live cause
        var after = await Drain(probe, marker with { EventId = Guid.NewGuid() });
        var oldCauses = courses.SelectMany(c => c).Select(e => e.EventId).ToHashSet();
        Assert.DoesNotContain(after, e => oldCauses.Contains(e.GetProperty("causedByEventId").GetGuid()));
        var change = Assert.Single(after, e => e.TryGetProperty("newGrade", out _) && e.GetProperty("causedByEventId").GetGuid() == fever.EventId);
        Assert.Equal((0, 1), (change.GetProperty("previousGrade").GetInt32(), change.GetProperty("newGrade").GetInt32()));

        // Audit, with the same windows, shows what the new windows would have decided for the old causes.
        var audit = new ServiceProcess("Audit", _broker.AmqpUri, new Dictionary<string, string>(_auditor.Settings(0).Concat(windows.Select(w => KeyValuePair.Create(w.Item1, w.Item2)))));
        _processes.Add(audit);
        await audit.StartAsync();
        using var auditor = audit.CreateClient(_auditor);
        var report = await Eventually.That(
            async () => await (await auditor.PostAsJsonAsync("api/v1/audit/regrade", new { patientId = patient })).Content.ReadFromJsonAsync<JsonElement>(),
            r => r.TryGetProperty("recordedChanges", out var n) && n.GetInt32() >= Courses.CrsExpected.Length,
            Deadline,
            "Audit's regrade of the patient");
        Assert.NotEqual(0, report.GetProperty("differences").GetArrayLength());
    }

    [Fact]
    public async Task An_evicted_patients_next_observation_gives_the_same_grade_change_as_if_never_evicted_and_its_full_history_is_answered()
    {
        var grading = Grading(("Grading__EvictAfter", "00:00:02"), ("Snapshots__Interval", "00:00:01"));
        await grading.StartAsync();
        var courses = NewCourses();
        await _events.PublishAsync(courses.SelectMany(c => c.Take(8)));
        using var http = grading.CreateClient(_clinician);
        foreach (var course in courses)
        {
            await SettledAsync(http, course[0].PatientId, 8);
        }

        // Idle longer than EvictAfter; the next entry's snapshot evicts them (another patient's admission).
        await Task.Delay(TimeSpan.FromSeconds(3));
        await _events.PublishAsync(new PatientAdmitted(Guid.NewGuid(), $"p-{Guid.NewGuid():N}"[..14], Courses.Start, DateTimeOffset.UtcNow, 40, 70, 170, 1.8, "MM", "haem-3", null));
        await Eventually.That(() => Task.FromResult(grading.Output), o => o.Contains($"{Patients} patients without an event for a while evicted", StringComparison.Ordinal),
            Deadline, "the idle patients evicted");

        // The rest of each course: the changes are exactly the expected ones, and the grades answer the whole history.
        await _events.PublishAsync(courses.SelectMany(c => c.Skip(8)));
        await AssertExactlyTheExpectedChangesAsync(grading, courses);
        var grades = await SettledAsync(http, courses[0][0].PatientId, courses[0].Length);
        Assert.Equal(Courses.CrsExpected.Length, grades.GetProperty("history").EnumerateArray().Count(h => h.GetProperty("scale").GetString() == "crs"
            && h.GetProperty("kind").GetString() == "change"));
    }

    private async Task<List<JsonElement>> Drain(EventProbe probe, CrsGradeChanged marker)
    {
        await _events.PublishAsync(marker);
        return [.. (await probe.DrainUntilAsync(marker.EventId, Deadline)).Where(e => e.GetProperty("eventId").GetGuid() != marker.EventId)];
    }

    private async Task<List<string>> GradesAsync(ServiceProcess grading, IPatientEvent[][] courses)
    {
        using var http = grading.CreateClient(_clinician);
        var answers = new List<string>();
        foreach (var course in courses)
        {
            var grades = await SettledAsync(http, course[0].PatientId, course.Length);
            // What a clinician sees of the patient, without the time of the answer.
            answers.Add($"{grades.GetProperty("crs")} {grades.GetProperty("icans")} {grades.GetProperty("history")} {grades.GetProperty("observations")}");
        }

        return answers;
    }

    private async Task AssertExactlyTheExpectedChangesAsync(ServiceProcess grading, IPatientEvent[][] courses)
    {
        using var http = grading.CreateClient(_clinician);
        foreach (var course in courses)
        {
            await SettledAsync(http, course[0].PatientId, course.Length);
        }

        var changes = await new GradeWatch(_probe, _events).ChangesAsync();
        foreach (var course in courses)
        {
            var published = changes[course[0].PatientId];
            Assert.Equal(Courses.CrsExpected, Described(published, course));
            Assert.Equal(published.Count, published.Select(c => c.EventId).Distinct().Count());
        }
    }

    private ServiceProcess Grading(params (string Key, string Value)[] settings)
    {
        var process = new ServiceProcess("Grading", _broker.AmqpUri,
            new Dictionary<string, string>(_clinician.Settings(0).Concat(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)))));
        _processes.Add(process);
        return process;
    }

    private static IPatientEvent[][] NewCourses() =>
        [.. Enumerable.Range(0, Patients).Select(_ => Courses.Crs($"p-{Guid.NewGuid():N}"[..14]))];
}
