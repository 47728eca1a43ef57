using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;
using static Toxicity.Grading.Service.Tests.GradeWatch;

namespace Toxicity.Grading.Service.Tests;

/// <summary>
/// The clock of rule set astct-2019/2 (CLINICAL-RULES.md §8.4 C2-CLK-1) with Grading as processes on the real broker:
/// time-driven decisions (an overdue reading and its next tier, an episode's closure) are published once, as review
/// events in the log, also when Grading is killed across the due time and with two instances. Windows are shortened
/// by settings so that the clock's times come within the test (all else as in production).
/// </summary>
public sealed class ClockTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Short windows for the test (Grading:Windows:…): a temperature is current 20 s, an episode closes 10 s after its
    // last finding, an overdue notice goes to the next tier 6 s later.
    private static readonly Dictionary<string, string> Windows = new(StringComparer.Ordinal)
    {
        ["Grading__Windows__Temperature"] = "00:00:20",
        ["Grading__Windows__EpisodeResolution"] = "00:00:10",
        ["Grading__Windows__OverdueNextTier"] = "00:00:06",
    };

    private readonly ApiKey _clinician = new("test-clinician", "clinician");
    private readonly List<ServiceProcess> _processes = [];
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private EventProbe _probe = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _probe = await EventProbe.StartAsync(_broker.AmqpUri,
            [Exchange<CrsGradeChanged>(), Exchange<IcansGradeChanged>(), Exchange<ObservationOverdue>(), Exchange<GradingReviewed>()]);
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
    public async Task C2_OD_1_killed_before_a_reading_goes_stale_and_started_after_it_the_ward_gets_one_notice_per_reading_and_tier()
    {
        var grading = Grading();
        await grading.StartAsync();
        var patient = Patient();
        var t0 = DateTimeOffset.UtcNow;
        IPatientEvent[] course =
        [
            Admitted(patient, t0.AddMinutes(-1)),
            new TreatmentAdministered(Guid.NewGuid(), patient, t0.AddSeconds(-30), t0, "bispecificDose", "epcoritamab", 0.16, "mg", "SC"),
            Normal(patient, t0),
            new NeuroAssessmentRecorded(Guid.NewGuid(), patient, t0, t0, 10, null, "alert", "none", "none", "none"),
        ];
        await _events.PublishAsync(course);
        using (var http = grading.CreateClient(_clinician))
        {
            await SettledAsync(http, patient, course.Length);
        }

        await grading.KillAsync();
        var due = t0.AddSeconds(20);
        Assert.True(DateTimeOffset.UtcNow < due, "killed before the temperature was due");
        await Eventually.That(() => Task.FromResult(DateTimeOffset.UtcNow), now => now > due.AddSeconds(2), TimeSpan.FromSeconds(40), "the due time to pass");

        await grading.StartAsync();
        await Eventually.That(() => NoticesAsync(patient), n => n.Any(x => x.Status == "stillOverdue"), Deadline, "the temperature notice's next tier");
        await _events.PublishAsync([Normal(patient, DateTimeOffset.UtcNow)]);
        var notices = await Eventually.That(() => NoticesAsync(patient), n => n.Any(x => x.Status == "cleared"), Deadline, "the notice cleared");

        Assert.Equal([("temperature", "overdue"), ("temperature", "stillOverdue"), ("temperature", "cleared")], notices.Select(n => (n.Reading, n.Status)));
        Assert.Equal(due, notices[0].Since);
        Assert.Equal(notices.Count, notices.Select(n => n.EventId).Distinct().Count());
        var reviews = _seen.Where(e => e.Patient == patient && e.Type == "review").ToList();
        Assert.Equal(2, reviews.Count); // the temperature due, then its next tier: each recorded once
        Assert.Equal(reviews.Count, reviews.Select(r => r.EventId).Distinct().Count());
    }

    [Fact]
    public async Task C2_CLK_1_two_instances_close_each_episode_by_the_clock_with_one_grade_change_and_no_new_observation()
    {
        var first = Grading();
        var second = Grading();
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        var patients = Enumerable.Range(0, 4).Select(_ => Patient()).ToArray();
        var t0 = DateTimeOffset.UtcNow.AddSeconds(-2);
        await _events.PublishAsync(patients.SelectMany(p => new IPatientEvent[]
        {
            Admitted(p, t0.AddMinutes(-1)),
            Normal(p, t0) with { TemperatureC = 38.6 },
            Normal(p, DateTimeOffset.UtcNow),
        }));

        var changes = await Eventually.That(
            () => ChangesAsync(patients),
            c => patients.All(p => c.Any(x => x.Patient == p && x.New == 0)),
            Deadline,
            "every episode closed by the clock");

        foreach (var patient in patients)
        {
            var mine = changes.Where(c => c.Patient == patient).ToList();
            Assert.Equal([(0, 1), (1, 0)], mine.Select(c => (c.Previous, c.New)));
            var closing = _seen.Single(e => e.Type == "review" && e.EventId == mine[1].CausedBy);
            Assert.Contains("episode-closure", closing.Message.GetProperty("kind").GetString(), StringComparison.Ordinal);
            Assert.Equal(t0.AddSeconds(10), closing.Message.GetProperty("observedAt").GetDateTimeOffset());
        }

        Assert.Equal(_seen.Count(e => e.Type != "marker"), _seen.Where(e => e.Type != "marker").Select(e => e.EventId).Distinct().Count());
    }

    private readonly List<(string Type, string Patient, Guid EventId, JsonElement Message)> _seen = [];

    private async Task<IReadOnlyList<(Guid EventId, string Reading, string Status, DateTimeOffset Since)>> NoticesAsync(string patient)
    {
        await DrainAsync();
        return [.. _seen.Where(e => e.Patient == patient && e.Type == "overdue").Select(e => (e.EventId,
            e.Message.GetProperty("reading").GetString()!, e.Message.GetProperty("status").GetString()!, e.Message.GetProperty("since").GetDateTimeOffset()))];
    }

    private async Task<IReadOnlyList<(string Patient, int Previous, int New, Guid CausedBy)>> ChangesAsync(IEnumerable<string> patients)
    {
        await DrainAsync();
        var wanted = patients.ToHashSet(StringComparer.Ordinal);
        return [.. _seen.Where(e => e.Type == "crs" && wanted.Contains(e.Patient)).Select(e => (e.Patient,
            e.Message.GetProperty("previousGrade").GetInt32(), e.Message.GetProperty("newGrade").GetInt32(), e.Message.GetProperty("causedByEventId").GetGuid()))];
    }

    /// <summary>Everything that reached the probe up to a marker published now, kept in arrival order.</summary>
    private async Task DrainAsync()
    {
        var marker = new CrsGradeChanged(Guid.NewGuid(), "marker", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, Guid.NewGuid(), 0, 0, "marker", []);
        await _events.PublishAsync([marker]);
        foreach (var message in await _probe.DrainUntilAsync(marker.EventId, Deadline))
        {
            var type = message.GetProperty("eventId").GetGuid() == marker.EventId ? "marker"
                : message.TryGetProperty("reading", out _) ? "overdue"
                : message.TryGetProperty("kind", out _) && !message.TryGetProperty("newGrade", out _) ? "review"
                : message.TryGetProperty("ctcaeRuleSet", out _) ? "crs" : "icans";
            _seen.Add((type, message.GetProperty("patientId").GetString()!, message.GetProperty("eventId").GetGuid(), message));
        }
    }

    private ServiceProcess Grading()
    {
        var process = new ServiceProcess("Grading", _broker.AmqpUri, new Dictionary<string, string>(_clinician.Settings(0).Concat(Windows)));
        _processes.Add(process);
        return process;
    }

    private static string Patient() => $"p-{Guid.NewGuid():N}"[..14];

    private static PatientAdmitted Admitted(string patient, DateTimeOffset at) =>
        new(Guid.NewGuid(), patient, at, at, 58, 72, 174, 1.87, "DLBCL", "haem-3", null);

    private static VitalSignsRecorded Normal(string patient, DateTimeOffset at) =>
        new(Guid.NewGuid(), patient, at, at, 37.0, 80, 16, 120, 70, 98, OxygenDevice: "none", Hypotensive: false, Vasopressors: []);
}
