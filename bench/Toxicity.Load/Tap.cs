using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Toxicity.Load;

/// <summary>
/// A queue of its own bound to event exchanges, consumed as messages arrive: every event the pipeline published, with the
/// moment it reached the tap (on the run's clock), for counting (nothing lost, nothing twice) and timing.
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
        return tap;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>An event that reached a <see cref="Tap"/>: when, its type (<c>CrsGradeChanged</c>), id, patient and message.</summary>
internal sealed record Arrival(TimeSpan At, string Type, Guid EventId, string PatientId, JsonElement Message);
