using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Toxicity.BoundedState.Benchmarks;

/// <summary>
/// A full blocking GC in another .NET process, induced as dotnet-gcdump induces it: an EventPipe session over the
/// runtime's diagnostics port with the GC keyword and <c>GCHeapCollect</c>, which makes the runtime collect at once. The
/// GC's own heap statistics give the managed heap after it: what the process's state keeps alive, without the
/// garbage that resident memory also counts until the GC next runs.
/// </summary>
internal static class InducedGc
{
    /// <summary>The GC heap's size in bytes after the induced GC of process <paramref name="processId"/>; null if its statistics did not come within <paramref name="timeout"/>.</summary>
    public static async Task<long?> CollectAsync(int processId, TimeSpan timeout)
    {
        var client = new DiagnosticsClient(processId);
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational,
                (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect)),
        };
        using var session = await client.StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 16, CancellationToken.None);
        var heap = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var source = new EventPipeEventSource(session.EventStream);
        var fullGc = false;
        source.Clr.GCStart += gc => fullGc |= gc.Depth == 2 && gc.Type == GCType.NonConcurrentGC;
        source.Clr.GCHeapStats += stats =>
        {
            if (fullGc)
            {
                heap.TrySetResult(stats.TotalHeapSize);
            }
        };
        var reading = Task.Run(source.Process);
        await Task.WhenAny(heap.Task, Task.Delay(timeout));
        await session.StopAsync(CancellationToken.None);
        await reading;
        return heap.Task.IsCompletedSuccessfully ? await heap.Task : null;
    }
}
