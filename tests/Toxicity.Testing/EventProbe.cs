using System.Text.Json;
using RabbitMQ.Client;

namespace Toxicity.Testing;

/// <summary>
/// A queue of the test's own, bound to the exchange of every Toxicity event, so a test sees exactly what reached
/// the broker: <see cref="DrainUntilAsync(Guid, TimeSpan)"/> reads in publication order up to a marker event.
/// </summary>
public sealed class EventProbe : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;

    private EventProbe(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        _queue = queue;
    }

    /// <summary>Binds a new exclusive queue to <paramref name="exchanges"/> (declared as MassTransit declares them).</summary>
    public static async Task<EventProbe> StartAsync(Uri broker, IEnumerable<string> exchanges)
    {
        var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var exchange in exchanges)
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue, exchange, string.Empty);
        }

        return new EventProbe(connection, channel, queue);
    }

    /// <summary>The events (the <c>message</c> of each MassTransit envelope) up to and including the one with <paramref name="marker"/> as its id.</summary>
    public Task<IReadOnlyList<JsonElement>> DrainUntilAsync(Guid marker, TimeSpan deadline) =>
        DrainUntilAsync(message => message.GetProperty("eventId").GetGuid() == marker, deadline, $"marker event {marker}");

    /// <summary>The events up to and including the first that matches <paramref name="last"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> DrainUntilAsync(Func<JsonElement, bool> last, TimeSpan deadline, string what)
    {
        var events = new List<JsonElement>();
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            var delivery = await _channel.BasicGetAsync(_queue, autoAck: true);
            if (delivery is null)
            {
                await Task.Delay(20);
                continue;
            }

            var message = JsonDocument.Parse(delivery.Body).RootElement.GetProperty("message").Clone();
            events.Add(message);
            if (last(message))
            {
                return events;
            }
        }

        throw new TimeoutException($"{what} did not reach the probe queue within {deadline.TotalSeconds} s");
    }

    /// <summary>How many events wait in the probe queue now.</summary>
    public async Task<uint> CountAsync() => (await _channel.QueueDeclarePassiveAsync(_queue)).MessageCount;

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
