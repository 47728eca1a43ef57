using System.Diagnostics;
using Toxicity.Testing;

namespace Toxicity.Load;

/// <summary>What the processes and the broker did during the pipeline phase: CPU cores, memory, queue depths.</summary>
internal sealed record Samples(IReadOnlyList<(string Name, double Cores, long PeakRss)> Processes, int MaxQueued, string MaxQueuedQueue, int QueuedAtEnd);

/// <summary>Reads every process's CPU and memory (/proc) and every queue's depth (management API) once a second.</summary>
internal sealed class Sampler(RabbitMqBroker broker, IReadOnlyList<ServiceProcess> services, string? node, Stopwatch clock)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, long> _peakRss = new(StringComparer.Ordinal);
    private (int Depth, string Queue) _max = (0, "none");
    private int _last;
    private Task<(TimeSpan At, IReadOnlyList<ProcessUse> Uses)>? _loop;

    private IEnumerable<(string Name, int Pid)> Pids()
    {
        foreach (var service in services)
        {
            if (service.ProcessId is { } pid)
            {
                yield return (service.Service, pid);
            }
        }

        if (ProcessUse.BrokerPid(node) is { } broker)
        {
            yield return ("rabbitmq-server", broker);
        }

        // The wards, the tap and the screen share the machine: their CPU is not the pipeline's, but it is not free.
        yield return ("load tool (this process)", Environment.ProcessId);
    }

    /// <summary>Starts sampling once a second until <see cref="StopAsync"/>.</summary>
    public void Start() => _loop = Task.Run(LoopAsync);

    private async Task<(TimeSpan At, IReadOnlyList<ProcessUse> Uses)> LoopAsync()
    {
        var start = (clock.Elapsed, (IReadOnlyList<ProcessUse>)[.. Pids().Select(p => ProcessUse.Read(p.Name, p.Pid)).OfType<ProcessUse>()]);
        while (!_stop.IsCancellationRequested)
        {
            foreach (var use in Pids().Select(p => ProcessUse.Read(p.Name, p.Pid)).OfType<ProcessUse>())
            {
                _peakRss[use.Name] = Math.Max(_peakRss.GetValueOrDefault(use.Name), use.RssBytes);
            }

            var total = 0;
            foreach (var queue in await broker.Management.QueueNamesAsync())
            {
                if (await broker.Management.QueueAsync(queue) is { Type: not "stream" } depth)
                {
                    total += depth.Ready + depth.Unacknowledged;
                    if (depth.Ready + depth.Unacknowledged > _max.Depth)
                    {
                        _max = (depth.Ready + depth.Unacknowledged, queue);
                    }
                }
            }

            _last = total;
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        }

        return start;
    }

    public async Task<Samples> StopAsync()
    {
        await _stop.CancelAsync();
#pragma warning disable VSTHRD003 // the loop was started by this instance
        var (at, before) = await (_loop ?? throw new InvalidOperationException("not started"));
#pragma warning restore VSTHRD003
        var seconds = (clock.Elapsed - at).TotalSeconds;
        var after = Pids().Select(p => ProcessUse.Read(p.Name, p.Pid)).OfType<ProcessUse>().ToDictionary(u => u.Name);
        var processes = before.Where(b => after.ContainsKey(b.Name))
            .Select(b => (b.Name, (after[b.Name].CpuSeconds - b.CpuSeconds) / seconds, _peakRss.GetValueOrDefault(b.Name))).ToList();
        return new Samples(processes, _max.Depth, _max.Queue, _last);
    }
}
