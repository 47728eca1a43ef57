using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Toxicity.Load;

/// <summary>
/// A queue of its own bound to event exchanges, consumed as messages arrive: every event the pipeline published, with the
/// moment it reached the tap (on the run's clock), for counting (nothing lost, nothing twice) and timing; and a reader of
/// the event-log stream, to time the hop every service's fold takes.
/// </summary>
internal sealed class Tap : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<Arrival> _arrivals = new();

    private Tap(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public IReadOnlyCollection<Arrival> Arrivals => _arrivals;

    public static async Task<Tap> StartAsync(Uri broker, Stopwatch clock, params string[] exchanges)
    {
        var connection = await new ConnectionFactory { Uri = broker, ClientProvidedName = "load-tap" }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var exchange in exchanges)
        {
            // Declared as MassTransit declares its message exchanges, so the tap can bind before anything is published.
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(queue, exchange, string.Empty);
        }

        var tap = new Tap(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var at = clock.Elapsed;
            using var envelope = JsonDocument.Parse(delivery.Body);
            var message = envelope.RootElement.GetProperty("message");
            var type = envelope.RootElement.GetProperty("messageType")[0].GetString()!;
            tap._arrivals.Enqueue(new Arrival(at, type[(type.LastIndexOf(':') + 1)..], message.GetProperty("eventId").GetGuid(),
                message.GetProperty("patientId").GetString()!, message.Clone()));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        await tap.ReadTheLogAsync(clock);
        return tap;
    }

    /// <summary>When each event was read from the event-log stream by a reader set up as the services' followers are.</summary>
    public IReadOnlyDictionary<Guid, TimeSpan> ReadFromTheLog => _logReads;

    private readonly ConcurrentDictionary<Guid, TimeSpan> _logReads = new();

    private async Task ReadTheLogAsync(Stopwatch clock)
    {
        const ushort prefetch = 1000; // as EventLogFollower: credit for a thousand, acknowledged a quarter at a time
        var channel = await _connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, prefetch, global: false);
        var unacknowledged = 0;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var at = clock.Elapsed;
            if (delivery.BasicProperties.Type != "toxicity.log-marker")
            {
                using var envelope = JsonDocument.Parse(delivery.Body);
                if (envelope.RootElement.TryGetProperty("message", out var message) && message.TryGetProperty("eventId", out var id))
                {
                    _logReads.TryAdd(id.GetGuid(), at);
                }
            }

            if (++unacknowledged >= prefetch / 4)
            {
                unacknowledged = 0;
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: true);
            }
        };
        await channel.BasicConsumeAsync("toxicity.event-log", autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: false,
            arguments: new Dictionary<string, object?> { ["x-stream-offset"] = "next" }, consumer);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>An event that reached a <see cref="Tap"/>: when, its type (<c>CrsGradeChanged</c>), id, patient and message.</summary>
internal sealed record Arrival(TimeSpan At, string Type, Guid EventId, string PatientId, JsonElement Message);
