using System.Text.Json;
using RabbitMQ.Client;
using Toxicity.Contracts;
using Toxicity.Hosting;

namespace Toxicity.Testing;

/// <summary>
/// Publishes Toxicity events straight onto the broker as Ingestion does (a MassTransit envelope on the event's
/// exchange, the <c>patient-id</c> header the partitions hash on, publisher confirms), so a test controls exactly
/// which events arrive, in which order and how many times.
/// </summary>
public sealed class WardEvents : IAsyncDisposable
{
    /// <summary>The header the consistent-hash partitions route on; the same name as Hosting's publish filter.</summary>
    public const string PatientIdHeader = "patient-id";

    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);

    private WardEvents(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<WardEvents> ConnectAsync(Uri broker)
    {
        var connection = await new ConnectionFactory { Uri = broker, ClientProvidedName = "test-ward-events" }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new WardEvents(connection, channel);
    }

    /// <summary>Publishes every event in order, signed as Ingestion signs in tests; the confirms are awaited together.</summary>
    public Task PublishAsync(IEnumerable<IPatientEvent> events) => PublishAsync(events, SignedByIngestion);

    /// <summary>
    /// Publishes events with the key id and signature <paramref name="sign"/> gives each (null: unsigned), e.g. to
    /// forge one as a publisher without the key would.
    /// </summary>
    public async Task PublishAsync(IEnumerable<IPatientEvent> events, Func<IPatientEvent, (string? KeyId, string? Signature)> sign)
    {
        ArgumentNullException.ThrowIfNull(sign);
        var pending = new List<ValueTask>();
        foreach (var e in events)
        {
            var exchange = $"{e.GetType().Namespace}:{e.GetType().Name}";
            if (_declared.Add(exchange))
            {
                await _channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            }

            var (properties, body) = Envelope(e, sign);
            pending.Add(_channel.BasicPublishAsync(exchange, string.Empty, mandatory: false, properties, body));
        }

        foreach (var confirm in pending)
        {
            await confirm;
        }
    }

    public Task PublishAsync(params IPatientEvent[] events) => PublishAsync((IEnumerable<IPatientEvent>)events);

    /// <summary>
    /// Puts one event straight onto <paramref name="queue"/> (the default exchange), signed as Ingestion signs: a delivery
    /// the event log never holds, as a message put there by hand or left over from another broker would be.
    /// </summary>
    public async Task SendToQueueAsync(string queue, IPatientEvent e)
    {
        var (properties, body) = Envelope(e, SignedByIngestion);
        await _channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, body);
    }

    private static (BasicProperties Properties, byte[] Body) Envelope(IPatientEvent e, Func<IPatientEvent, (string? KeyId, string? Signature)> sign)
    {
        var exchange = $"{e.GetType().Namespace}:{e.GetType().Name}";
        var envelope = new
        {
            MessageId = Guid.NewGuid(),
            MessageType = new[] { $"urn:message:{exchange}" },
            Message = (object)e,
            SentTime = DateTimeOffset.UtcNow,
            // MassTransit reads its headers from the envelope; the broker's hash exchange reads the AMQP header.
            Headers = new Dictionary<string, object> { [PatientIdHeader] = e.PatientId },
        };
        var properties = new BasicProperties
        {
            ContentType = "application/vnd.masstransit+json",
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = envelope.MessageId.ToString(),
            Headers = new Dictionary<string, object?> { [PatientIdHeader] = e.PatientId },
        };
        if (sign(e) is { KeyId: { } keyId, Signature: { } signature })
        {
            properties.Headers[EventSignatures.KeyIdHeader] = keyId;
            properties.Headers[EventSignatures.SignatureHeader] = signature;
        }

        return (properties, JsonSerializer.SerializeToUtf8Bytes(envelope, Wire));
    }

    private static (string? KeyId, string? Signature) SignedByIngestion(IPatientEvent e) =>
        (TestSigningKeys.KeyId("Ingestion"), EventSignatures.Sign(Convert.FromBase64String(TestSigningKeys.Key("Ingestion")), e));

    /// <summary>Deletes a queue or stream, as someone with configure rights on the broker could.</summary>
    public async Task DeleteQueueAsync(string queue) => await _channel.QueueDeleteAsync(queue);

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
