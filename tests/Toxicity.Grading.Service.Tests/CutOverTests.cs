using System.Text.Json;
using RabbitMQ.Client;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;
using static Toxicity.Grading.Service.Tests.GradeWatch;

namespace Toxicity.Grading.Service.Tests;

/// <summary>
/// The cut-over to rule set astct-2019/2 (CLINICAL-RULES.md §8.5), with Grading as a process on a log that an earlier
/// version wrote under astct-2019/1: the first start records <c>RuleSetAdopted</c>; what was recorded before it keeps
/// its meaning (an <c>awakensSpontaneously</c> then meant alert) and nothing is published again for the past; what is
/// recorded after it is graded under /2.
/// </summary>
public sealed class CutOverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ApiKey _clinician = new("test-clinician", "clinician");
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private EventProbe _probe = null!;
    private ServiceProcess _grading = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _probe = await EventProbe.StartAsync(_broker.AmqpUri, [Exchange<CrsGradeChanged>(), Exchange<IcansGradeChanged>(), Exchange<RuleSetAdopted>()]);
        _grading = new ServiceProcess("Grading", _broker.AmqpUri, _clinician.Settings(0));
    }

    public async Task DisposeAsync()
    {
        output.WriteLine(_grading.Output);
        await _grading.DisposeAsync();
        await _probe.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Points_recorded_under_rule_set_1_keep_their_meaning_and_nothing_is_published_again_for_the_past()
    {
        // What the /1 version left in the log: its topology, a drowsy-looking "alert" patient with a fever, and the CRS 0→1 it published.
        await DeclareTheLogAsAnEarlierVersionDidAsync();
        var patient = $"p-{Guid.NewGuid():N}"[..14];
        var at = DateTimeOffset.UtcNow.AddHours(-2);
        var alertThen = new NeuroAssessmentRecorded(Guid.NewGuid(), patient, at.AddMinutes(1), at, 10, null, "awakensSpontaneously", "none", "none", "none");
        var fever = new VitalSignsRecorded(Guid.NewGuid(), patient, at.AddMinutes(2), at, 38.5, 100, 18, 120, 70, 97);
        var published = new CrsGradeChanged(EventIds.Derive(fever.EventId, "crs-grade-changed"), patient, fever.ObservedAt, at, fever.EventId, 0, 1,
            "astct-2019/1", ["crs.fever"], 1, 1, "ctcae-5.0-crs/1", ["ctcae.crs.fever"]);
        await _events.PublishAsync([new PatientAdmitted(Guid.NewGuid(), patient, at, at, 58, 72, 174, 1.87, "DLBCL", "haem-3", null), alertThen, fever, published]);

        await _grading.StartAsync();
        using var http = _grading.CreateClient(_clinician);
        var before = await SettledAsync(http, patient, 3);

        // After the cut-over: a fever with nothing else reported (a lower bound of 1: the same number, not published),
        // then a drowsy patient who wakes by themselves (grade 1 under /2).
        var laterFever = new VitalSignsRecorded(Guid.NewGuid(), patient, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow, 38.6, 100, 18, 120, 70, 97);
        var drowsyNow = new NeuroAssessmentRecorded(Guid.NewGuid(), patient, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow, 10, null, "awakensSpontaneously", "none", "none", "none");
        await _events.PublishAsync([laterFever, drowsyNow]);
        var after = await SettledAsync(http, patient, 5);
        var seen = await SeenAsync();

        var adopted = Assert.Single(seen, e => e.TryGetProperty("ctcaeRuleSet", out var r) && !e.TryGetProperty("newGrade", out _));
        Assert.Equal("astct-2019/2", adopted.GetProperty("ruleSet").GetString());
        var changes = seen.Where(e => e.GetProperty("patientId").GetString() == patient && e.TryGetProperty("newGrade", out _)).ToList();
        // The /1 change, as it was recorded, and one /2 change: ICANS 0→1 for the drowsy patient recorded after the cut-over.
        Assert.Equal([(published.EventId, "astct-2019/1", 0, 1)], changes.Take(1).Select(c => (c.GetProperty("eventId").GetGuid(),
            c.GetProperty("ruleSet").GetString(), c.GetProperty("previousGrade").GetInt32(), c.GetProperty("newGrade").GetInt32())));
        var icans = Assert.Single(changes.Skip(1));
        Assert.Equal((drowsyNow.EventId, "astct-2019/2", 0, 1), (icans.GetProperty("causedByEventId").GetGuid(), icans.GetProperty("ruleSet").GetString(),
            icans.GetProperty("previousGrade").GetInt32(), icans.GetProperty("newGrade").GetInt32()));
        Assert.Contains("icans.consciousness.awakensSpontaneously", icans.GetProperty("criteria").EnumerateArray().Select(c => c.GetString()));

        // Before the new assessment the patient recorded as "awakens spontaneously" under /1 read as alert: ICANS 0.
        Assert.Equal(0, before.GetProperty("icans").GetProperty("shown").GetProperty("grade").GetInt32());
        Assert.Equal(1, before.GetProperty("crs").GetProperty("lastPublished").GetInt32());
        Assert.Contains(after.GetProperty("history").EnumerateArray(), h => h.GetProperty("kind").GetString() == "refinement");
    }

    /// <summary>The stream and its bindings as every earlier version declared them at start-up, before this Grading ever ran.</summary>
    private async Task DeclareTheLogAsAnEarlierVersionDidAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = _broker.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(EventLog.StreamName, durable: true, exclusive: false, autoDelete: false, arguments: EventLog.StreamArguments());
        foreach (var type in EventLog.EventTypes)
        {
            var exchange = EventLog.WireName(type);
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(EventLog.StreamName, exchange, string.Empty);
        }
    }

    private async Task<IReadOnlyList<JsonElement>> SeenAsync()
    {
        var marker = new CrsGradeChanged(Guid.NewGuid(), "marker", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, Guid.NewGuid(), 0, 0, "marker", []);
        await _events.PublishAsync([marker]);
        return [.. (await _probe.DrainUntilAsync(marker.EventId, Deadline)).Where(e => e.GetProperty("eventId").GetGuid() != marker.EventId)];
    }
}
