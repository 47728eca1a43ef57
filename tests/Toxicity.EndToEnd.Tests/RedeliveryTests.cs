using MassTransit;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;
using static Toxicity.EndToEnd.Tests.Ward;
using static Toxicity.EndToEnd.Tests.WalkingSkeletonTests;

namespace Toxicity.EndToEnd.Tests;

/// <summary>At-least-once delivery, exactly-once effects: a duplicated observation changes nothing further.</summary>
[Collection(SystemCollection.Name)]
public sealed class RedeliveryTests(ToxicitySystem system, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private IBusControl _bus = null!;

    public async Task InitializeAsync()
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(system.Broker.AmqpUri, _ => { });
            cfg.Publish<IPatientEvent>(p => p.Exclude = true);
        });
        using var timeout = new CancellationTokenSource(Deadline);
        await _bus.StartAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        output.WriteLine(system.Diagnostics());
        await _bus.StopAsync();
    }

    [Fact]
    public async Task The_same_observation_delivered_three_times_gives_one_grade_change_one_advice_and_one_alert()
    {
        var patient = NewPatientId();
        var now = DateTimeOffset.UtcNow;
        await PublishAsync(new PatientAdmitted(Guid.CreateVersion7(), patient, now, now, 58, 72, 174, 1.87, "DLBCL", null, null));
        var observation = new VitalSignsRecorded(Guid.CreateVersion7(), patient, now, now, 38.9, 120, 22, 100, 60, 95);

        // Published concurrently, as a broker redelivering to competing consumers would hand them out.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PublishAsync(observation)));

        var events = await AuditEventuallyAsync(system.Audit, patient, Admitted, Vitals, Vitals, Vitals, GradeChanged, Advised, Alerted);
        Assert.Equal(observation.EventId, Message(Single(events, GradeChanged)).GetProperty("causedByEventId").GetGuid());

        // A duplicate effect would follow its copy within milliseconds; none appears in the next seconds.
        await Consistently.That(
            () => AuditEventsAsync(system.Audit, patient),
            later => later.Count(e => Type(e) == GradeChanged) == 1 && later.Count(e => Type(e) == Advised) == 1
                && later.Count(e => Type(e) == Alerted) == 1,
            TimeSpan.FromSeconds(3),
            "one grade change, one advice and one alert");

        using var http = system.Alerting.CreateClient(system.ClinicianKey);
        var alerts = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"api/v1/alerts?patientId={patient}")).RootElement;
        Assert.Equal(1, alerts.GetArrayLength());
    }

    [Fact]
    public async Task The_same_grade_change_delivered_three_times_gives_one_advice_and_one_alert()
    {
        var patient = NewPatientId();
        var now = DateTimeOffset.UtcNow;
        var change = new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 1, "astct-2019/1", ["crs.fever"]);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PublishAsync(change)));

        var events = await AuditEventuallyAsync(system.Audit, patient, GradeChanged, GradeChanged, GradeChanged, Advised, Alerted);
        Assert.Equal(change.EventId, Message(Single(events, Advised)).GetProperty("causedByEventId").GetGuid());
        await Consistently.That(
            () => AuditEventsAsync(system.Audit, patient),
            later => later.Count(e => Type(e) == Advised) == 1 && later.Count(e => Type(e) == Alerted) == 1,
            TimeSpan.FromSeconds(3),
            "one advice and one alert");
    }

    // As every Toxicity publisher does: Grading's partitions are hashed on this header.
    private Task PublishAsync<T>(T e)
        where T : class, IPatientEvent =>
        _bus.Publish(e, context => context.Headers.Set(WardEvents.PatientIdHeader, e.PatientId));
}
