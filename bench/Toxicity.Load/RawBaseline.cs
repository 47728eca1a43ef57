using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Toxicity.Load;

/// <summary>
/// The raw broker in the same run, as issue 17 defines it: RabbitMQ.Client publishing 500-byte persistent messages to a
/// quorum queue with 256 confirms outstanding; publish-only, then publish and consume at once.
/// </summary>
internal static class RawBaseline
{
    private const int Outstanding = 256;
    private static readonly byte[] Body = new byte[500];

    /// <summary>Confirmed messages per second; with <paramref name="consume"/>, a consumer acknowledges them meanwhile.</summary>
    public static async Task<double> RateAsync(Uri broker, TimeSpan duration, bool consume)
    {
        var factory = new ConnectionFactory { Uri = broker, ClientProvidedName = "load-raw" };
        await using var connection = await factory.CreateConnectionAsync();
        await using var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
            outstandingPublisherConfirmationsRateLimiter: null)); // the client's default throttles from 64 outstanding; Outstanding publishers bound it here
        var queue = $"load-raw-{Guid.NewGuid():N}";
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await using var consumerChannel = await connection.CreateChannelAsync();
        if (consume)
        {
            await consumerChannel.BasicQosAsync(0, 1000, false);
            var consumer = new AsyncEventingBasicConsumer(consumerChannel);
            consumer.ReceivedAsync += (_, delivery) => consumerChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false).AsTask();
            await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer);
        }

        var properties = new BasicProperties { DeliveryMode = DeliveryModes.Persistent };
        long confirmed = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Outstanding).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                await publisher.BasicPublishAsync(string.Empty, queue, mandatory: false, properties, Body);
                Interlocked.Increment(ref confirmed);
            }
        }));
        var rate = confirmed / watch.Elapsed.TotalSeconds;
        await publisher.QueueDeleteAsync(queue);
        return rate;
    }
}
