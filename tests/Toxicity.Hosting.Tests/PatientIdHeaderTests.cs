using System.Text;
using MassTransit;
using RabbitMQ.Client;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Hosting.Tests;

public sealed class PatientIdHeaderTests : IAsyncLifetime
{
    private RabbitMqBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await RabbitMqBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Every_published_event_carries_its_patient_id_in_the_patient_id_header_on_the_wire()
    {
        await using var host = await MessagingHost.StartAsync(_broker.AmqpUri, "header-test", bus => bus.AddConsumer<AlertOnAdmissionConsumer>());
        await using var connection = await new ConnectionFactory { Uri = _broker.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var type in new[] { typeof(VitalSignsRecorded), typeof(AlertRaised) })
        {
            var exchange = EventLog.ExchangeName(host.Bus.Topology, type);
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue, exchange, string.Empty);
        }

        // One event published by the bus, and one published by a consumer from its ConsumeContext.
        await host.Bus.Publish(Events.Vitals("patient-header-1", 1));
        await host.Bus.Publish(Events.Admitted("patient-header-2"));

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (seen.Count < 2 && DateTime.UtcNow < until)
        {
            var delivery = await channel.BasicGetAsync(queue, autoAck: true);
            if (delivery is null)
            {
                await Task.Delay(20);
                continue;
            }

            Assert.True(delivery.BasicProperties.Headers?.ContainsKey(PartitionTopology.PatientIdHeader), "no patient-id header");
            var header = Encoding.UTF8.GetString((byte[])delivery.BasicProperties.Headers![PartitionTopology.PatientIdHeader]!);
            var type = System.Text.Json.JsonDocument.Parse(delivery.Body).RootElement.GetProperty("messageType")[0].GetString()!;
            seen[type] = header;
        }

        Assert.Equal("patient-header-1", seen["urn:message:Toxicity.Contracts.V1:VitalSignsRecorded"]);
        Assert.Equal("patient-header-2", seen["urn:message:Toxicity.Contracts.V1:AlertRaised"]);
    }
}

/// <summary>Publishes an alert for every admission, so the test sees a publish made from a consumer.</summary>
public sealed class AlertOnAdmissionConsumer : IConsumer<PatientAdmitted>
{
    public Task Consume(ConsumeContext<PatientAdmitted> context) =>
        context.Publish(new AlertRaised(Guid.NewGuid(), context.Message.PatientId, context.Message.ObservedAt, context.Message.RecordedAt,
            context.Message.EventId, "astct", 0, 1, "info", "test"));
}
