using System.Globalization;

namespace Toxicity.BoundedState.Benchmarks;

/// <summary>A build measured: before issue 16 or the one under test, its repository root and commit.</summary>
internal sealed record Build(string Label, string Root, string Commit, string Subject);

/// <summary>One log to write and measure: a restart log (every start timed <see cref="BenchOptions.Repeats"/> times) or a memory log.</summary>
internal sealed record LogPlan(string Name, int Patients, int Days, bool Restart);

/// <summary>One start of a service: how it got ready, its memory after the settle (first runs only), its stop.</summary>
internal sealed record StartResult(ReadyFigures Ready, MemoryFigures? Memory, TimeSpan Stopped, int SnapshotsWritten, IReadOnlyList<string> Warnings);

/// <summary>
/// A service of a build on a log: its starts without a snapshot (each with a fresh snapshot file and Audit database),
/// then its restarts with what the last of those left (the snapshot file; Audit's database); or why it failed.
/// </summary>
internal sealed record ServiceResult(string Service, Build Build, IReadOnlyList<StartResult> Cold, IReadOnlyList<StartResult> Warm, string? Error);

/// <summary>A log as written (its events, how long publishing took) and what every service showed on it.</summary>
internal sealed record LogResult(LogPlan Plan, long Events, TimeSpan Published, IReadOnlyDictionary<ushort, double> RawReadRates, IReadOnlyList<ServiceResult> Services);

/// <summary>
/// The run: for each log a virtual host of its own; the new build's Grading started once so that the log begins with
/// its cut-over (RuleSetAdopted, recorded at Grading's first start); the queues that start declared deleted; the ward's
/// events written; then, one process at a time, each service of each build started, timed, measured and stopped.
/// </summary>
internal sealed class Benchmark(BenchOptions options, Management management, Build before, Build after, TextWriter progress)
{
    /// <summary>The follower's prefetch (EventLogFollower), and a wider one for comparison.</summary>
    public static readonly ushort[] RawPrefetches = [1000, 5000];

    public IEnumerable<LogPlan> Plans()
    {
        if (options.LogEvents > 0)
        {
            var patients = (int)Math.Ceiling(options.LogEvents / (double)WardLog.EventsPerPatient(options.Days));
            yield return new LogPlan("restart", patients, options.Days, Restart: true);
        }

        foreach (var patients in options.MemoryPatients)
        {
            yield return new LogPlan($"ward{patients}", patients, options.Days, Restart: false);
        }

        if (options.AgePatients > 0 && options.AgeDays > 0)
        {
            yield return new LogPlan($"age{options.AgePatients}x{options.AgeDays}d", options.AgePatients, options.AgeDays, Restart: false);
        }
    }

    public async Task<LogResult> RunAsync(LogPlan plan)
    {
        var vhost = $"bench-{plan.Name}";
        await management.CreateVirtualHostAsync(vhost);
        var broker = new UriBuilder(options.Amqp) { Path = "/" + Uri.EscapeDataString(vhost) }.Uri;
        try
        {
            var cutOver = await StartAsync(after, "Grading", broker, Files(plan, after, "Grading", "cut-over"), settle: false);
            var deleted = await management.DeleteQueuesButTheLogAsync(vhost);
            Say($"{plan.Name}: cut-over recorded by {after.Label}'s Grading (ready after {cutOver.Ready.ReadyAfter.TotalSeconds:0.0} s); {deleted} queues it declared deleted");

            var log = new WardLog(plan.Name, plan.Patients, plan.Days, DateTimeOffset.UtcNow);
            Say($"{plan.Name}: writing {log.Events:N0} events ({plan.Patients:N0} patients x {plan.Days} days) with {options.Publishers} publishers");
            var published = await LogWriter.WriteAsync(broker, log, options.Publishers);
            Say($"{plan.Name}: written in {published.TotalSeconds:0.0} s ({log.Events / published.TotalSeconds:N0} events/s)");
            var raw = new Dictionary<ushort, double>();
            foreach (var prefetch in RawPrefetches)
            {
                raw[prefetch] = await RawRead.RateAsync(broker, log.Events, prefetch);
                Say($"{plan.Name}: raw stream read with prefetch {prefetch}: {raw[prefetch]:N0} entries/s");
            }

            var services = new List<ServiceResult>();
            foreach (var service in plan.Restart ? options.Services : options.MemoryServices)
            {
                foreach (var build in new[] { before, after })
                {
                    services.Add(await MeasureAsync(plan, service, build, broker));
                }
            }

            return new LogResult(plan, log.Events, published, raw, services);
        }
        finally
        {
            await management.DeleteVirtualHostAsync(vhost);
        }
    }

    private async Task<ServiceResult> MeasureAsync(LogPlan plan, string service, Build build, Uri broker)
    {
        var repeats = plan.Restart ? options.Repeats : 1;
        var cold = new List<StartResult>();
        var warm = new List<StartResult>();
        try
        {
            IReadOnlyDictionary<string, string> files = new Dictionary<string, string>();
            for (var run = 0; run < repeats; run++)
            {
                files = Files(plan, build, service, $"cold{run}");
                cold.Add(await StartAsync(build, service, broker, files, settle: run == 0));
            }

            // Before issue 16 only Audit keeps anything across a restart (its database): another start is another full rebuild.
            if (build == after || service == "Audit")
            {
                for (var run = 0; run < repeats; run++)
                {
                    warm.Add(await StartAsync(build, service, broker, files, settle: run == 0));
                }
            }

            return new ServiceResult(service, build, cold, warm, null);
        }
        catch (Exception error) when (error is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
        {
            Say($"{plan.Name}: {service} ({build.Label}) failed: {error.Message}");
            return new ServiceResult(service, build, cold, warm, error.Message.Split('\n')[0]);
        }
    }

    private async Task<StartResult> StartAsync(Build build, string service, Uri broker, IReadOnlyDictionary<string, string> files, bool settle)
    {
        var (host, ready) = await ServiceHost.StartAsync(build.Root, service, broker, files, options.ReadyDeadline);
        using (host)
        {
            var memory = settle ? await host.SettleAsync() : null;
            var stopped = await host.StopAsync();
            var result = new StartResult(ready, memory, stopped, host.SnapshotsWritten, host.Warnings);
            Say(string.Create(CultureInfo.InvariantCulture,
                $"  {service,-10} {build.Label,-6} ready {ready.ReadyAfter.TotalSeconds,7:0.00} s, read {ready.EntriesRead,9:N0} entries"
                + $"{(ready.RestoredAt is { } at ? $" after the snapshot at {at:N0}" : string.Empty)}"
                + $"{(ready.FoldRate is { } rate ? $" ({rate:N0}/s)" : string.Empty)}"
                + $"{(memory is null ? string.Empty : $", RSS {memory.Rss / 1048576.0:0.0} MiB, GC heap {memory.GcHeap / 1048576.0:0.0} MiB, peak {memory.PeakRss / 1048576.0:0.0} MiB")}"
                + $", stopped in {stopped.TotalSeconds:0.0} s, {host.SnapshotsWritten} snapshots written, {host.Warnings.Count} warnings"));
            return result;
        }
    }

    /// <summary>A start's own files: its snapshot file (and Audit's database), kept for the restarts that follow it.</summary>
    private IReadOnlyDictionary<string, string> Files(LogPlan plan, Build build, string service, string run)
    {
        var directory = Path.Combine(options.Work, plan.Name, build.Label, service, run);
        Directory.CreateDirectory(directory);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Snapshots__Path"] = Path.Combine(directory, "snapshots.db"),
            ["Audit__Database"] = Path.Combine(directory, "audit.db"),
        };
    }

    private void Say(string line) => progress.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
}
