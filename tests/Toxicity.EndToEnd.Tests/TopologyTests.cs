using Toxicity.Contracts.V1;
using Xunit;

namespace Toxicity.EndToEnd.Tests;

/// <summary>What the services declare on the broker: the event log and durable quorum queues.</summary>
[Collection(SystemCollection.Name)]
public sealed class TopologyTests(ToxicitySystem system)
{
    [Fact]
    public async Task The_event_log_is_a_stream_bound_to_every_event_exchange()
    {
        var log = await system.Broker.Management.QueueAsync("toxicity.event-log");
        Assert.NotNull(log);
        Assert.Equal("stream", log.Type);
        Assert.True(log.Durable);

        var sources = await system.Broker.Management.BindingSourcesAsync("toxicity.event-log");
        var events = typeof(Toxicity.Contracts.IPatientEvent).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && typeof(Toxicity.Contracts.IPatientEvent).IsAssignableFrom(t))
            .Select(t => $"{t.Namespace}:{t.Name}");
        Assert.Equal(events.Order(StringComparer.Ordinal), sources.Order(StringComparer.Ordinal));
        Assert.Contains(WalkingSkeletonTests.WireName<VitalSignsRecorded>(), sources);
    }

    [Theory]
    [InlineData("grading-partition-0")]
    [InlineData("grading-partition-7")]
    [InlineData("mitigation-advice")]
    [InlineData("alerting-grade-changed")]
    public async Task Consumer_queues_are_durable_quorum_queues_named_after_their_service(string queue)
    {
        var depth = await system.Broker.Management.QueueAsync(queue);
        Assert.NotNull(depth);
        Assert.Equal("quorum", depth.Type);
        Assert.True(depth.Durable);
    }

    [Fact]
    public async Task Every_service_answers_its_health_probes()
    {
        foreach (var service in system.Services)
        {
            using var http = service.CreateClient();
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("health/live")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("health/ready")).StatusCode);
        }
    }
}
