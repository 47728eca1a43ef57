using System.Text;
using RabbitMQ.Client;

namespace Toxicity.Faults.Tests;

/// <summary>The poison of one kind put on one queue, and how to know it again in that queue's <c>_error</c> queue.</summary>
internal sealed record PoisonMessage(string Queue, string Kind, string Marker);

/// <summary>
/// What the run does to the messages on the broker, over a connection of its own: keeps a copy of every observation and
/// grade change as published (a durable queue bound beside the services' queues), puts those copies back on the
/// services' queues as a broker redelivering them would, and puts poison on every consumer queue.
/// </summary>
internal sealed class BrokerFaults(Uri broker) : IAsyncDisposable
{
    public const string CopiesQueue = "faults-copies";
    private const string ContentType = "application/vnd.masstransit+json";

    private IConnection? _connection;

    /// <summary>Binds the copies queue to the exchanges of the events whose copies are redelivered.</summary>
    public async Task KeepCopiesAsync()
    {
        await using var channel = await ChannelAsync();
        await channel.QueueDeclareAsync(CopiesQueue, durable: true, exclusive: false, autoDelete: false);
        foreach (var type in new[] { "VitalSignsRecorded", "NeuroAssessmentRecorded", "CrsGradeChanged", "IcansGradeChanged" })
        {
            var exchange = $"Toxicity.Contracts.V1:{type}";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(CopiesQueue, exchange, string.Empty);
        }
    }

    /// <summary>
    /// Takes up to <paramref name="count"/> copies and delivers each again, byte for byte with its headers, to the
    /// queues that consumed it: observations through Grading's partition exchange (same patient header: same partition),
    /// grade changes straight onto Mitigation's and Alerting's queues. Bypasses the event log, as a redelivery does.
    /// </summary>
    public async Task<int> RedeliverCopiesAsync(int count)
    {
        await using var channel = await ChannelAsync();
        var redelivered = 0;
        for (var i = 0; i < count; i++)
        {
            if (await channel.BasicGetAsync(CopiesQueue, autoAck: true) is not { } copy)
            {
                break;
            }

            var properties = new BasicProperties(copy.BasicProperties);
            if (copy.Exchange.EndsWith("GradeChanged", StringComparison.Ordinal))
            {
                foreach (var queue in new[] { "mitigation-advice", "alerting-grade-changed" })
                {
                    await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, copy.Body);
                    redelivered++;
                }
            }
            else
            {
                await channel.BasicPublishAsync("grading.partitions", string.Empty, mandatory: true, properties, copy.Body);
                redelivered++;
            }
        }

        return redelivered;
    }

    /// <summary>
    /// On each queue, three kinds of poison: bytes that are not JSON; a well-formed envelope naming a contract version
    /// no service knows; a well-formed envelope whose event breaks the event contract (a name for a patient id).
    /// </summary>
    public async Task<IReadOnlyList<PoisonMessage>> PoisonAsync(IEnumerable<string> queues)
    {
        await using var channel = await ChannelAsync();
        var poison = new List<PoisonMessage>();
        foreach (var queue in queues)
        {
            var (eventType, contract) = queue.StartsWith("grading-", StringComparison.Ordinal) ? ("VitalSignsRecorded", "Toxicity.Contracts.V1")
                : queue.EndsWith("dose-review", StringComparison.Ordinal) ? ("ReviewDose", "Toxicity.Mitigation.Service.Clock")
                : ("CrsGradeChanged", "Toxicity.Contracts.V1");
            foreach (var kind in new[] { "malformed-json", "unknown-contract-version", "invalid-event" })
            {
                var marker = $"poison-{kind}-{queue}";
                var now = DateTimeOffset.UtcNow.ToString("O");
                var body = kind switch
                {
                    "malformed-json" => $"{{\"messageId\": \"{marker}\", \"message\": {{\"patientId\": ",
                    "unknown-contract-version" => Envelope(marker, $"{contract}.V9:{eventType}",
                        $"{{\"eventId\":\"{Guid.NewGuid()}\",\"patientId\":\"p-poison\",\"observedAt\":\"{now}\",\"recordedAt\":\"{now}\"}}"),
                    _ => Envelope(marker, $"{contract}:{eventType}",
                        $"{{\"eventId\":\"{Guid.NewGuid()}\",\"patientId\":\"Agatha Fuzzbottom\",\"observedAt\":\"{now}\",\"recordedAt\":\"{now}\",\"previousGrade\":0,\"newGrade\":4}}"),
                };
                var properties = new BasicProperties
                {
                    ContentType = ContentType,
                    DeliveryMode = DeliveryModes.Persistent,
                    MessageId = Guid.NewGuid().ToString(),
                    Headers = new Dictionary<string, object?> { ["patient-id"] = "p-poison" },
                };
                await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
                poison.Add(new PoisonMessage(queue, kind, marker));
            }
        }

        return poison;
    }

    /// <summary>
    /// What <paramref name="queue"/>'s <c>_error</c> queue holds, each message's headers (as text) and body, left in the
    /// queue. Read by a consumer that never acknowledges: the error queue of a partition has a single active consumer,
    /// where the broker refuses basic.get (and so the management API's "get messages").
    /// </summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Headers, string Payload)>> ErrorMessagesAsync(string queue)
    {
        var errors = $"{queue}_error";
        await using var channel = await ChannelAsync();
        uint held;
        try
        {
            held = (await channel.QueueDeclarePassiveAsync(errors)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return []; // no error queue: nothing ever failed there
        }

        await using var reading = await ChannelAsync();
        var messages = new List<(IReadOnlyDictionary<string, string>, string)>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(reading);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            lock (messages)
            {
                var headers = (delivery.BasicProperties.Headers ?? new Dictionary<string, object?>())
                    .ToDictionary(h => h.Key, h => h.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : h.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
                messages.Add((headers, Encoding.UTF8.GetString(delivery.Body.Span)));
                if (messages.Count >= held)
                {
                    all.TrySetResult();
                }
            }

            return Task.CompletedTask;
        };
        if (held > 0)
        {
            await reading.BasicQosAsync(0, (ushort)Math.Min(held, 1000), global: false);
            await reading.BasicConsumeAsync(errors, autoAck: false, consumer);
            await Task.WhenAny(all.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        }

        // Closing the channel without acknowledging gives every message back to the queue.
        lock (messages)
        {
            return [.. messages];
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private static string Envelope(string marker, string messageType, string message) =>
        $"{{\"messageId\":\"{Guid.NewGuid()}\",\"messageType\":[\"urn:message:{messageType}\"],\"message\":{message},\"headers\":{{\"poison\":\"{marker}\"}}}}";

    /// <summary>A channel with publisher confirms, on a connection opened again if the broker restarted since.</summary>
    private async Task<IChannel> ChannelAsync()
    {
        if (_connection is not { IsOpen: true })
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }

            _connection = await new ConnectionFactory { Uri = broker, ClientProvidedName = "fault-suite" }.CreateConnectionAsync();
        }

        return await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
    }
}
