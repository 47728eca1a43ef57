using System.Diagnostics;
using Toxicity.Testing;

namespace Toxicity.BoundedState.Benchmarks;

/// <summary>
/// Writes a <see cref="WardLog"/> through the event exchanges as Ingestion would (<see cref="WardEvents"/>: the MassTransit
/// envelope, the <c>patient-id</c> header, Ingestion's test signature, publisher confirms), with several publishers in
/// parallel, each on a connection of its own and awaiting its confirms a batch at a time.
/// </summary>
internal static class LogWriter
{
    private const int Batch = 5_000;

    /// <summary>Publishes every event of <paramref name="log"/> to the virtual host of <paramref name="broker"/>; how long it took.</summary>
    public static async Task<TimeSpan> WriteAsync(Uri broker, WardLog log, int publishers)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(publisher => Task.Run(async () =>
        {
            await using var ward = await WardEvents.ConnectAsync(broker);
            foreach (var batch in log.EventsOf(publisher, publishers).Chunk(Batch))
            {
                await ward.PublishAsync(batch);
            }
        })));
        return watch.Elapsed;
    }
}
