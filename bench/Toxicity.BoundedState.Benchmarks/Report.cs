using System.Globalization;
using System.Text;

namespace Toxicity.BoundedState.Benchmarks;

/// <summary>bench/results/bounded-state.md: every figure of issue 16's benchmark, the build before it beside the build after it.</summary>
internal sealed class Report(BenchOptions options, Machine machine, Build before, Build after, IReadOnlyList<LogResult> logs, DateTimeOffset started, TimeSpan took)
{
    private const double RestartTargetSeconds = 5;
    private const double FoldRateTarget = 100_000;
    private const double PerPatientTargetBytes = 16 * 1024;
    // "Stops growing with the age of the log": the heap after a full GC with the longer history within this much of the shorter's.
    private const double AgeGrowthAllowed = 0.10;

    private readonly StringBuilder _text = new();

    private LogResult? RestartLog => logs.FirstOrDefault(l => l.Plan.Restart);

    private IReadOnlyList<LogResult> MemoryLogs => [.. logs.Where(l => !l.Plan.Restart && l.Plan.Days == options.Days && !IsAge(l)).OrderBy(l => l.Plan.Patients)];

    private LogResult? AgeLog => logs.FirstOrDefault(IsAge);

    private Build[] Builds => [before, after];

    public string Render()
    {
        Header();
        Logs();
        Targets();
        Restarts();
        FoldRates();
        Memory();
        PerPatient();
        Age();
        Warnings();
        Rerun();
        return _text.ToString();
    }

    private void Header()
    {
        Line("# Bounded state: restart, fold rate and memory of the stateful services (issue 16)");
        Line();
        Line($"Measured by `bash bench/bounded-state.sh` (`bench/Toxicity.BoundedState.Benchmarks`) on {started:yyyy-MM-dd}, one run of "
            + $"{took.TotalMinutes:0} minutes, both builds against the same logs:");
        Line();
        Line($"- **before**: `{before.Commit}` \"{before.Subject}\" (the last commit before issue 16);");
        Line($"- **after**: `{after.Commit}` \"{after.Subject}\".");
        Line();
        Line("Each build is a `git worktree` of its own, built with `dotnet build -c Release`; each service runs as its own process "
            + "from that output (`dotnet services/<X>/bin/Release/net10.0/Toxicity.<X>.Service.dll`, its test signing key, a snapshot "
            + "file of its own), one process at a time, against one private rabbitmq-server node (`scripts/broker`), each log in a "
            + "virtual host of its own. The services run with their shipped settings (server GC, snapshot every 100 000 entries or 5 min).");
        Line();
        Line($"Machine: {machine.Processor}, {machine.Cores} cores, {machine.MemoryBytes / 1073741824.0:0.0} GiB; {machine.OperatingSystem}; "
            + $"{machine.Runtime} (SDK {machine.Sdk}); {machine.Broker}. Load average (1/5/15 min) {machine.LoadAtStart} at the start, "
            + $"{machine.LoadAtEnd} at the end: other sessions use this machine too, so timings are noisy; each timing on the restart log is "
            + $"the median of {options.Repeats} runs, every run listed.");
        Line();
        Line("What is measured, per start: **ready** is process start to the first `200` from `GET /health/ready` (polled every 50 ms); "
            + "**rebuild** is the event-log follower's own lines (\"Following … from offset\" to \"Event log read up to start-up … rebuilt\"), "
            + "and **fold rate** the entries it read in between per second of it; **RSS** is the median of five `VmRSS` samples a "
            + "second apart, taken 2 s after ready and after a full blocking GC induced over the diagnostics port (as dotnet-gcdump "
            + "does); **GC heap** is the managed heap that GC left (what the state keeps alive); **peak** is `VmHWM` (the rebuild "
            + "included). \"Without a snapshot\" starts with a new, empty snapshot file (and Audit database); \"with a snapshot\" "
            + "restarts with what the previous start left after its SIGTERM. Before issue 16 there are no snapshots (n/a): its restart is "
            + "the full rebuild, except Audit's, which resumes after the last entry its database holds (issue 9).");
        Line();
    }

    private void Logs()
    {
        Line("## The logs");
        Line();
        Line("Written through the event exchanges as Ingestion writes them (`WardEvents`: MassTransit envelope, `patient-id` header, "
            + $"Ingestion's test signature, publisher confirms), {options.Publishers} publishers in parallel. Each patient: admitted, "
            + "then hourly complete vital signs (afebrile, normotensive, `hypotensive: false`, `vasopressors: []`, oxygen `none`) "
            + "and a neurological assessment every 12 hours (ICE 10, alert), ending at the time of writing; no dose, so no grade "
            + "change, alert, advice, notice or clock review. Before the ward's events, each log holds the cut-over "
            + "(`RuleSetAdopted` astct-2019/2, recorded by the after build's Grading at its first start; its queues then deleted so that "
            + "no service finds a backlog of the ward's events in its queues): every observation is graded under /2, by both builds.");
        Line();
        Line("| log | patients | days | events | written in | events/s |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (var log in logs)
        {
            Line($"| {Describe(log)} | {N(log.Plan.Patients)} | {log.Plan.Days} | {N(log.Events)} | {log.Published.TotalSeconds:0.0} s | {N(log.Events / log.Published.TotalSeconds)} |");
        }

        Line();
    }

    private void Targets()
    {
        Line("## The targets");
        Line();
        Line("| target | service | before | after | met after |");
        Line("|---|---|---|---|---|");
        if (RestartLog is { } restart)
        {
            foreach (var service in Services(restart))
            {
                var old = Find(restart, service, before);
                var now = Find(restart, service, after);
                var oldText = service == "Audit" && Median(old?.Warm, ReadySeconds) is { } resumed
                    ? $"{resumed:0.00} s (its database; no snapshot)"
                    : $"n/a: no snapshots; a restart rebuilds ({Seconds(Median(old?.Cold, ReadySeconds))})";
                var warm = Median(now?.Warm, ReadySeconds);
                Line($"| restart to ready < {RestartTargetSeconds} s, {N(restart.Events)}-event log, with a snapshot | {service} | {oldText} | "
                    + $"{Seconds(warm)}{Restored(now)} | {Met(warm < RestartTargetSeconds)} |");
            }

            foreach (var service in Services(restart).Where(s => s != "Audit"))
            {
                var old = Median(Find(restart, service, before)?.Cold, FoldRate);
                var now = Median(Find(restart, service, after)?.Cold, FoldRate);
                Line($"| full rebuild ≥ {N(FoldRateTarget)} events/s | {service} | {Rate(old)} | {Rate(now)} | {Met(now >= FoldRateTarget)} |");
            }

            if (Find(restart, "Audit", after) is not null)
            {
                var old = Median(Find(restart, "Audit", before)?.Cold, FoldRate);
                var now = Median(Find(restart, "Audit", after)?.Cold, FoldRate);
                Line($"| full rebuild ≥ {N(FoldRateTarget)} events/s (Audit: chain and commit every entry) | Audit | {Rate(old)} | {Rate(now)} | {Met(now >= FoldRateTarget)} |");
            }
        }

        if (MemoryLogs is [var smallest, .., var largest] && smallest != largest)
        {
            foreach (var service in Services(largest))
            {
                var old = PerPatientBytes(smallest, largest, service, before, m => m.Rss);
                var now = PerPatientBytes(smallest, largest, service, after, m => m.Rss);
                Line($"| < {PerPatientTargetBytes / 1024:0} KiB resident per active patient ({N(largest.Plan.Patients)} patients, {options.Days} days) | {service} | "
                    + $"{KiB(old)} | {KiB(now)} | {Met(now < PerPatientTargetBytes)} |");
            }
        }

        if (AgeLog is { } age && SameWard(age) is { } young)
        {
            foreach (var service in Services(age))
            {
                var old = Growth(young, age, service, before);
                var now = Growth(young, age, service, after);
                Line($"| memory stops growing with the age of the log: GC heap, {N(age.Plan.Patients)} patients, {young.Plan.Days} → {age.Plan.Days} days "
                    + $"(met: within {AgeGrowthAllowed:P0}) | {service} | {Percent(old)} | {Percent(now)} | {Met(now <= AgeGrowthAllowed)} |");
            }
        }

        Line();
    }

    private void Restarts()
    {
        if (RestartLog is not { } restart)
        {
            return;
        }

        Line($"## Restart to ready, {N(restart.Events)}-event log ({N(restart.Plan.Patients)} patients × {restart.Plan.Days} days)");
        Line();
        Line("Median and every run, in seconds. \"read\" is the entries the follower read before it was ready (after a restore: from the "
            + "snapshot's own entry). \"stop\" is SIGTERM to exit (after issue 16: with the last snapshot's write).");
        Line();
        Line("| service | build | ready without a snapshot | of which rebuild | ready with a snapshot | restored at, read | stop |");
        Line("|---|---|---:|---:|---:|---|---:|");
        foreach (var service in Services(restart))
        {
            foreach (var build in Builds)
            {
                if (Find(restart, service, build) is not { } result)
                {
                    continue;
                }

                var warm = result.Warm.Count == 0 ? "n/a" : Runs(result.Warm, ReadySeconds, "0.00");
                var restored = result.Warm.FirstOrDefault() is { } first
                    ? first.Ready.RestoredAt is { } at ? $"{N(at)}, {N(first.Ready.EntriesRead)}" : $"no snapshot used: read {N(first.Ready.EntriesRead)}"
                    : "n/a";
                Line($"| {service} | {build.Label} | {Runs(result.Cold, ReadySeconds, "0.00")} | {Runs(result.Cold, RebuildSeconds, "0.00")} | {warm} | {restored} | "
                    + $"{Runs([.. result.Cold, .. result.Warm], r => r.Stopped.TotalSeconds, "0.0")} |{Failed(result)}");
            }
        }

        Line();
    }

    private void FoldRates()
    {
        Line("## Fold rate (full rebuild, entries read per second of the follower's rebuild)");
        Line();
        var columns = logs.Where(l => !IsAge(l)).OrderByDescending(l => l.Plan.Restart).ThenByDescending(l => l.Plan.Patients).Take(2).ToArray();
        Line($"| service | {string.Join(" | ", columns.SelectMany(l => Builds.Select(b => $"{b.Label}, {Describe(l)}")))} |");
        Line($"|---|{string.Concat(Enumerable.Repeat("---:|", columns.Length * 2))}");
        foreach (var service in logs.SelectMany(Services).Distinct())
        {
            var cells = columns.SelectMany(l => Builds.Select(b => Find(l, service, b) is { } r ? Runs(r.Cold, c => c.Ready.FoldRate, "#,0").Replace(',', ' ') : "–"));
            Line($"| {service} | {string.Join(" | ", cells)} |");
        }

        Line();
        Line("The broker's ceiling, measured in the same run on the same log (`RawRead`: a bare AMQP 0-9-1 consumer of the stream from "
            + "its first entry, batched acknowledgements, nothing done per entry), and each service's median full-rebuild fold rate as a ratio to it:");
        Line();
        Line("| log | prefetch | raw read, entries/s | " + string.Join(" | ", logs.SelectMany(Services).Distinct().SelectMany(s => Builds.Select(b => $"{s} {b.Label} / raw"))) + " |");
        Line("|---|---:|---:|" + string.Concat(Enumerable.Repeat("---:|", logs.SelectMany(Services).Distinct().Count() * 2)));
        foreach (var log in columns)
        {
            foreach (var (prefetch, rate) in log.RawReadRates.OrderBy(r => r.Key))
            {
                var ratios = logs.SelectMany(Services).Distinct().SelectMany(s => Builds.Select(b =>
                    Median(Find(log, s, b)?.Cold, FoldRate) is { } fold ? (fold / rate).ToString("0.00", CultureInfo.InvariantCulture) : "–"));
                Line($"| {Describe(log)} | {prefetch} | {N(rate)} | {string.Join(" | ", ratios)} |");
            }
        }

        Line();
    }

    private void Memory()
    {
        Line("## Resident memory");
        Line();
        Line("MiB, after the settle. \"restarted\" is the start with the snapshot the first start left (after issue 16 only; Audit: its database).");
        Line();
        Line("| service | log | RSS before | RSS after | RSS after, restarted | GC heap before | GC heap after | GC heap after, restarted | peak before | peak after |");
        Line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var service in logs.SelectMany(Services).Distinct())
        {
            foreach (var log in logs.Where(l => Services(l).Contains(service)).OrderBy(l => l.Events))
            {
                var old = Find(log, service, before);
                var now = Find(log, service, after);
                var o = FirstMemory(old?.Cold);
                var n = FirstMemory(now?.Cold);
                var w = FirstMemory(now?.Warm);
                Line($"| {service} | {Describe(log)} | {MiB(o?.Rss)} | {MiB(n?.Rss)} | {MiB(w?.Rss)} | {MiB(o?.GcHeap)} | {MiB(n?.GcHeap)} | {MiB(w?.GcHeap)} | "
                    + $"{MiB(o?.PeakRss)} | {MiB(n?.PeakRss)} |");
            }
        }

        Line();
    }

    private void PerPatient()
    {
        if (MemoryLogs.Count < 2)
        {
            return;
        }

        var smallest = MemoryLogs[0];
        var larger = MemoryLogs.Skip(1).ToArray();

        Line($"## Per active patient ({options.Days} days of hourly vital signs)");
        Line();
        Line($"KiB: (memory with N patients − memory with {N(smallest.Plan.Patients)}) / (N − {N(smallest.Plan.Patients)}), after the settle, "
            + $"from the starts without a snapshot. Target: under {PerPatientTargetBytes / 1024:0} KiB resident.");
        Line();
        Line($"| service | measure | {string.Join(" | ", larger.SelectMany(l => Builds.Select(b => $"{b.Label}, {N(l.Plan.Patients)}")))} |");
        Line($"|---|---|{string.Concat(Enumerable.Repeat("---:|", larger.Length * 2))}");
        foreach (var service in Services(smallest))
        {
            foreach (var (measure, read) in new (string, Func<MemoryFigures, long?>)[] { ("RSS", m => m.Rss), ("GC heap", m => m.GcHeap) })
            {
                var cells = larger.SelectMany(l => Builds.Select(b => KiB(PerPatientBytes(smallest, l, service, b, read))));
                Line($"| {service} | {measure} | {string.Join(" | ", cells)} |");
            }
        }

        Line();
    }

    private void Age()
    {
        if (AgeLog is not { } age || SameWard(age) is not { } young)
        {
            return;
        }

        Line($"## Memory and the age of the log ({N(age.Plan.Patients)} patients, {young.Plan.Days} and {age.Plan.Days} days)");
        Line();
        Line("MiB after the settle, the same ward with a history four times as long; growth is the GC heap's.");
        Line();
        Line($"| service | build | RSS, {young.Plan.Days} days | RSS, {age.Plan.Days} days | GC heap, {young.Plan.Days} days | GC heap, {age.Plan.Days} days | growth |");
        Line("|---|---|---:|---:|---:|---:|---:|");
        foreach (var service in Services(age))
        {
            foreach (var build in Builds)
            {
                var y = FirstMemory(Find(young, service, build)?.Cold);
                var a = FirstMemory(Find(age, service, build)?.Cold);
                Line($"| {service} | {build.Label} | {MiB(y?.Rss)} | {MiB(a?.Rss)} | {MiB(y?.GcHeap)} | {MiB(a?.GcHeap)} | {Percent(Growth(young, age, service, build))} |");
            }
        }

        Line();
    }

    private void Warnings()
    {
        var lines = logs.SelectMany(l => l.Services.Select(s => (Log: l, Result: s,
                Warnings: s.Cold.Concat(s.Warm).SelectMany(r => r.Warnings).GroupBy(w => w).OrderByDescending(g => g.Count()).Take(5).ToArray())))
            .Where(x => x.Warnings.Length > 0 || x.Result.Error is not null)
            .ToArray();
        Line("## Warnings and errors the services logged");
        Line();
        if (lines.Length == 0)
        {
            Line("None.");
        }

        foreach (var (log, result, warnings) in lines)
        {
            Line($"- {Describe(log)}, {result.Service} {result.Build.Label}:{(result.Error is { } error ? $" **failed: {error}**" : string.Empty)}");
            foreach (var warning in warnings)
            {
                Line($"  - {warning.Count()} × {warning.Key}");
            }
        }

        Line();
    }

    private void Rerun()
    {
        Line("## How to re-run");
        Line();
        Line("```");
        Line("bash bench/bounded-state.sh                   # before = 7fdeedc, after = HEAD; writes this file");
        Line("bash bench/bounded-state.sh --after main       # after = another commit or branch");
        Line("BENCH_ARGS='--log-events 10000 --memory-patients 10,100 --age-patients 0 --repeats 1' bash bench/bounded-state.sh --out /tmp/smoke.md");
        Line("```");
        Line();
        Line($"This run: {string.Join(' ', Arguments())}. The script's header lists every option.");
    }

    private IEnumerable<string> Arguments()
    {
        yield return $"--log-events {options.LogEvents}";
        yield return $"--memory-patients {string.Join(',', options.MemoryPatients)}";
        yield return $"--days {options.Days}";
        yield return $"--age-patients {options.AgePatients}";
        yield return $"--age-days {options.AgeDays}";
        yield return $"--repeats {options.Repeats}";
        yield return $"--services {string.Join(',', options.Services)}";
        yield return $"--memory-services {string.Join(',', options.MemoryServices)}";
        yield return $"--publishers {options.Publishers}";
    }

    private bool IsAge(LogResult log) => log.Plan.Name.StartsWith("age", StringComparison.Ordinal);

    private LogResult? SameWard(LogResult age) => MemoryLogs.FirstOrDefault(l => l.Plan.Patients == age.Plan.Patients);

    private static IEnumerable<string> Services(LogResult log) => log.Services.Select(s => s.Service).Distinct();

    private static ServiceResult? Find(LogResult log, string service, Build build) =>
        log.Services.FirstOrDefault(s => s.Service == service && s.Build == build);

    private static string Describe(LogResult log) => log.Plan.Restart ? $"restart log ({N(log.Events)} events)" : $"{N(log.Plan.Patients)} patients × {log.Plan.Days} d";

    private static MemoryFigures? FirstMemory(IReadOnlyList<StartResult>? runs) => runs?.FirstOrDefault(r => r.Memory is not null)?.Memory;

    private static double? PerPatientBytes(LogResult smallest, LogResult larger, string service, Build build, Func<MemoryFigures, long?> read) =>
        FirstMemory(Find(smallest, service, build)?.Cold) is { } small && FirstMemory(Find(larger, service, build)?.Cold) is { } large
            && read(small) is { } a && read(large) is { } b
            ? (b - a) / (double)(larger.Plan.Patients - smallest.Plan.Patients)
            : null;

    private static double? Growth(LogResult young, LogResult old, string service, Build build) =>
        FirstMemory(Find(young, service, build)?.Cold)?.GcHeap is { } a && FirstMemory(Find(old, service, build)?.Cold)?.GcHeap is { } b && a > 0
            ? (b - a) / (double)a
            : null;

    private static double? ReadySeconds(StartResult run) => run.Ready.ReadyAfter.TotalSeconds;

    private static double? RebuildSeconds(StartResult run) => run.Ready.Rebuild?.TotalSeconds;

    private static double? FoldRate(StartResult run) => run.Ready.FoldRate;

    private static double? Median(IReadOnlyList<StartResult>? runs, Func<StartResult, double?> read)
    {
        var values = (runs ?? []).Select(read).OfType<double>().Order().ToArray();
        return values.Length == 0 ? null : values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }

    private static string Runs(IReadOnlyList<StartResult> runs, Func<StartResult, double?> read, string format)
    {
        var values = runs.Select(read).OfType<double>().ToArray();
        if (values.Length == 0)
        {
            return "–";
        }

        var median = Median(runs, read)!.Value.ToString(format, CultureInfo.InvariantCulture);
        return values.Length == 1 ? median : $"**{median}** ({string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)))})";
    }

    private static string Restored(ServiceResult? result) =>
        result?.Warm.FirstOrDefault() is not { } first ? string.Empty
        : first.Ready.RestoredAt is { } at ? $" (restored at offset {N(at)}, then read {N(first.Ready.EntriesRead)})"
        : $" (no snapshot used: read {N(first.Ready.EntriesRead)} entries)";

    private static string Failed(ServiceResult result) => result.Error is { } error ? $" failed: {error}" : string.Empty;

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static string Seconds(double? seconds) => seconds is { } s ? $"{s:0.00} s" : "–";

    private static string Rate(double? rate) => rate is { } r ? $"{N(r)}/s" : "–";

    private static string Percent(double? growth) => growth is { } g ? $"{g:+0%;-0%;0%}" : "–";

    private static string MiB(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) : "–";

    private static string KiB(double? bytes) => bytes is { } b ? $"{b / 1024:0.0} KiB" : "–";

    private static string N(double value) => value.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', ' ');

    private void Line(string text = "") => _text.Append(text).Append('\n');
}
