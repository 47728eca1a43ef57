using System.Net;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Toxicity.Mitigation.Service.Tests;

/// <summary>
/// Issue 16 "Deadlines", Mitigation as a process on the real broker: a cause that the queue delivers but the event log
/// never holds (put on the queue directly, bypassing the event exchange the log is bound to) cannot get its decision;
/// the consumer fails it after <c>EffectLedger:FoldDeadline</c>, it is retried and then moved to the error queue with
/// the reason, and the service stays ready and keeps advising. (An event with no patient id, which the follower would
/// skip, is refused before any consumer since issue 21: the fault suite shows it in the error queue with its reason.)
/// </summary>
public sealed class FoldDeadlineTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly ApiKey _clinician = new("test-clinician", "clinician");
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private ServiceProcess _mitigation = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _mitigation = new ServiceProcess("Mitigation", _broker.AmqpUri, new Dictionary<string, string>(_clinician.Settings(0))
        {
            ["EffectLedger__FoldDeadline"] = "00:00:01",
        });
        await _mitigation.StartAsync();
    }

    public async Task DisposeAsync()
    {
        output.WriteLine(_mitigation.Output);
        await _mitigation.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task A_cause_the_event_log_never_holds_goes_to_the_error_queue_with_the_reason_and_the_service_stays_ready()
    {
        var now = DateTimeOffset.UtcNow;
        var skipped = new CrsGradeChanged(Guid.NewGuid(), "fold-deadline-1", now, now, Guid.NewGuid(), 0, 3, "astct-2019/2", ["crs.fever"]);
        await _events.SendToQueueAsync("mitigation-advice", skipped);

        var failed = await Eventually.That(
            () => _broker.Management.PeekAsync("mitigation-advice_error", 10),
            messages => messages.Count > 0,
            Deadline,
            "the skipped cause in the error queue");

        var fault = Assert.Single(failed);
        Assert.Contains(skipped.EventId.ToString(), fault.Payload, StringComparison.Ordinal);
        Assert.Contains("did not reach CrsGradeChanged", fault.Headers["MT-Fault-Message"].GetString(), StringComparison.Ordinal);
        using var http = _mitigation.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/ready")).StatusCode);
        Assert.Equal(0, (await _broker.Management.QueueAsync("mitigation-advice"))!.Ready);
    }
}
