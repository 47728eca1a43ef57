using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Toxicity.BoundedState.Benchmarks;

/// <summary>
/// The broker's ceiling for any follower, measured in the same run: a bare consumer of the event-log stream over AMQP
/// 0-9-1 with the follower's prefetch and batched acknowledgements, from the first entry to the last, doing nothing with
/// an entry. A service's fold rate is given as a ratio to it.
/// </summary>
internal static class RawRead
{
    /// <summary>Entries per second read from the first entry to the <paramref name="entries"/>-th.</summary>
    public static async Task<double> RateAsync(Uri broker, long entries, ushort prefetch)
    {
        var factory = new ConnectionFactory { Uri = broker, ClientProvidedName = "bench-raw-read" };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, prefetch, global: false);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long read = 0;
        var unacknowledged = 0;
        var watch = Stopwatch.StartNew();
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            if (++unacknowledged >= prefetch / 4)
            {
                unacknowledged = 0;
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: true);
            }

            if (++read >= entries)
            {
                done.TrySetResult();
            }
        };
        await channel.BasicConsumeAsync(Toxicity.Hosting.EventLog.StreamName, autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: false,
            arguments: new Dictionary<string, object?> { ["x-stream-offset"] = "first" }, consumer);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        return read / watch.Elapsed.TotalSeconds;
    }
}
