using Toxicity.Contracts;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;
using static Toxicity.Grading.Service.Tests.GradeWatch;

namespace Toxicity.Grading.Service.Tests;

/// <summary>
/// Grading as separate processes, as in production: killed with SIGKILL in the middle of a stream of observations
/// and started again, and two instances at once with one of them killed. Every patient's changes are exactly the
/// expected ones, each published once.
/// </summary>
public sealed class CrashAndScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Patients = 12;

    private readonly ApiKey _clinician = new("test-clinician", "clinician");
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
    public async Task Killed_mid_stream_and_started_again_it_loses_and_repeats_no_grade_change()
    {
        var grading = Grading();
        await grading.StartAsync();
        var courses = NewCourses();

        await KillInTheMiddleAsync(courses, () => grading);

        await grading.StartAsync();
        await AssertExactlyTheExpectedChangesAsync(grading, courses);
    }

    [Fact]
    public async Task Two_instances_publish_one_change_per_cause_even_when_one_is_killed_mid_stream()
    {
        var first = Grading();
        var second = Grading();
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        // Every partition queue has a consumer from each instance, and only one of them is active (statistics are sampled: polled).
        foreach (var queue in Enumerable.Range(0, 8).Select(i => $"grading-partition-{i}"))
        {
            await Eventually.That(
                () => _broker.Management.ConsumersAsync(queue),
                consumers => consumers.Count == 2 && consumers.Count(c => c.ActivityStatus == "single_active") == 1,
                Deadline,
                $"two consumers on {queue}, one of them active");
        }

        var courses = NewCourses();
        // The instance killed is one that owns partitions: it has published changes of the first half.
        await KillInTheMiddleAsync(courses, () => first.Output.Contains("published for", StringComparison.Ordinal) ? first : second);

        await AssertExactlyTheExpectedChangesAsync(first.IsRunning ? first : second, courses);
    }

    /// <summary>
    /// The first half of every course is graded; the rest is published in one burst and <paramref name="victim"/> is
    /// killed (SIGKILL) in it, while some changes are still to be published.
    /// </summary>
    private async Task KillInTheMiddleAsync(IPatientEvent[][] courses, Func<ServiceProcess> victim)
    {
        await _events.PublishAsync(courses.SelectMany(c => c.Take(6)));
        await Eventually.That(_probe.CountAsync, n => n >= Patients, Deadline, "the first grade changes");
        var burst = _events.PublishAsync(courses.SelectMany(c => c.Skip(6)));
        await Task.Delay(15);
        await victim().KillAsync();
        await burst;

        var published = await _probe.CountAsync();
        Assert.True(published < Patients * Courses.CrsExpected.Length, $"all {published} changes were out before the kill: it was not mid-stream");
    }

    private ServiceProcess Grading()
    {
        var process = new ServiceProcess("Grading", _broker.AmqpUri, _clinician.Settings(0));
        _processes.Add(process);
        return process;
    }

    private static IPatientEvent[][] NewCourses() =>
        [.. Enumerable.Range(0, Patients).Select(i => Courses.Crs($"p-{Guid.NewGuid():N}"[..14]))];

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
}
