using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Toxicity.Load;

/// <summary>bench/results/load-*.md: every figure of the run beside the raw broker of the same run, with the ratio.</summary>
internal sealed class Report(LoadOptions options, IReadOnlyDictionary<string, double> raw, IReadOnlyList<Phase> phases, Verdict verdict,
    Latencies latencies, Latencies? idle, Samples steadySamples, Samples? fullSamples, TimeSpan settled, IReadOnlyList<(string Queue, int Messages)> queuedAfterDrain, TimeSpan took)
{
    private const double IngestionAloneTarget = 0.25;
    private const double PipelineTarget = 0.12;
    private static readonly TimeSpan DrainBound = TimeSpan.FromSeconds(10);
    private readonly StringBuilder _text = new();

    public string Render()
    {
        var publish = raw["publish"];
        Line($"# Load: the pipeline beside the raw broker ({DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Line();
        Line($"`bash bench/load.sh{(options.Smoke ? " --smoke" : string.Empty)}` (bench/Toxicity.Load), one run of {took.TotalMinutes:0.0} min: "
            + $"{options.Wards} wards × {options.PatientsPerWard} patients, {options.Concurrency} HTTP requests in flight at most, "
            + $"each phase {options.Duration.TotalSeconds:0} s (Ingestion alone: half each), the steady one at {(options.Rate == 0 ? "as fast as it goes" : $"{options.Rate} observations/s")}; "
            + $"one patient in {options.DeteriorateEvery} deteriorates (fever: CRS 1, three turns later norepinephrine: CRS 3), onsets spread over the steady phase. "
            + $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; the services in "
            + $"{Toxicity.Testing.Repository.Configuration} as their own processes, logging at Warning, on one private rabbitmq-server node. "
            + $"Build measured: `{Commit()}`.");
        Line();
        Line("## Raw broker (same run)");
        Line();
        Line("RabbitMQ.Client, 500-byte persistent messages to a quorum queue, 256 confirms outstanding, "
            + $"{options.RawDuration.TotalSeconds:0} s each.");
        Line();
        Line("| baseline | msg/s |");
        Line("|---|---:|");
        foreach (var (name, rate) in raw)
        {
            Line($"| {name} | {N(rate)} |");
        }

        Line();
        Line("## Posting");
        Line();
        Line("| phase | target rate | accepted/s | ratio to raw publish | HTTP p50 | p95 | p99 | max | sent | accepted | errors |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var phase in phases)
        {
            Line($"| {phase.Name} | {(phase.TargetRate == 0 ? "max" : N(phase.TargetRate))} | {N(phase.AcceptedPerSecond)} | {Percent(phase.AcceptedPerSecond / publish)} | "
                + $"{Ms(phase.Http.P50)} | {Ms(phase.Http.P95)} | {Ms(phase.Http.P99)} | {Ms(phase.Http.Max)} | {phase.Sent} | {phase.Accepted} | "
                + $"{(phase.Errors == 0 ? "0" : string.Join(", ", phase.ErrorsByKind.Select(e => $"{e.Key}: {e.Value}")))} |");
        }

        Line();
        Line($"## Latency, whole pipeline at a steady {(options.Rate == 0 ? "max" : N(options.Rate))} observations/s (from the observation's send)");
        Line();
        LatencyLines(latencies);
        Line($"- after the last post (of the last whole-pipeline phase), everything owed was delivered, every observation read from the event log "
            + $"and every queue emptied within {settled.TotalSeconds:0.0} s (of 90 s at most): {Queued(queuedAfterDrain)}");
        Line();
        if (idle is not null)
        {
            Line("## Latency, idle (20 patients of a ward of their own, all deteriorating, 10 observations/s and nothing else)");
            Line();
            LatencyLines(idle);
            Line();
        }

        Line("## Nothing lost, nothing twice");
        Line();
        Line($"{verdict.Accepted} observations answered 202, {verdict.Recorded} of them on the bus; {verdict.GradeChanges} CRS grade changes, "
            + $"{verdict.Alerts} alerts on the bus, {verdict.ScreenAlerts} on the screen, {verdict.Advice} advice events: "
            + (verdict.Failures.Count == 0 ? "**every one exactly once, as owed**." : $"**{verdict.Failures.Count} problems**: {string.Join("; ", verdict.Failures.Take(10))}"));
        Line();
        Line("## Processes during the whole-pipeline phases");
        Line();
        Line($"Queued messages (every queue but the stream), steady: at most {steadySamples.MaxQueued} (`{steadySamples.MaxQueuedQueue}`), {steadySamples.QueuedAtEnd} at its end"
            + (fullSamples is null ? "." : $"; as fast as it goes: at most {fullSamples.MaxQueued} (`{fullSamples.MaxQueuedQueue}`), {fullSamples.QueuedAtEnd} at its end."));
        Line();
        Line(fullSamples is null ? "| process | CPU cores | peak RSS MiB |" : "| process | CPU cores, steady | CPU cores, as fast as it goes | peak RSS MiB |");
        Line(fullSamples is null ? "|---|---:|---:|" : "|---|---:|---:|---:|");
        foreach (var (name, cores, rss) in steadySamples.Processes)
        {
            var full = fullSamples?.Processes.FirstOrDefault(p => p.Name == name);
            Line($"| {name} | {Cores(cores)} | "
                + (fullSamples is null ? string.Empty : $"{(full is { } f ? Cores(f.Cores) : "–")} | ")
                + $"{(Math.Max(rss, full?.PeakRss ?? 0) / 1048576.0).ToString("0", CultureInfo.InvariantCulture)} |");
        }

        Line();
        if (!options.Smoke)
        {
            Line("## Targets (issue 17)");
            Line();
            Line("| target | figure | met |");
            Line("|---|---|---|");
            if (phases.FirstOrDefault(p => p.Name.StartsWith("Ingestion alone, as fast", StringComparison.Ordinal)) is { } alone)
            {
                Line($"| Ingestion alone ≥ {Percent(IngestionAloneTarget)} of raw publish | {Percent(alone.AcceptedPerSecond / publish)} | {Met(alone.AcceptedPerSecond / publish >= IngestionAloneTarget)} |");
            }

            if (phases.FirstOrDefault(p => p.Name.StartsWith("Ingestion alone, at half", StringComparison.Ordinal)) is { } half)
            {
                Line($"| Ingestion alone, HTTP p99 < 50 ms at half its rate | {Ms(half.Http.P99)} | {Met(half.Http.P99 < 50)} |");
            }

            if (phases.FirstOrDefault(p => p.Name == "Whole pipeline, as fast as it goes") is { } full)
            {
                var keptUp = queuedAfterDrain.Sum(q => q.Messages) == 0 && settled <= DrainBound;
                Line($"| whole pipeline ≥ {Percent(PipelineTarget)} of raw publish, every queue and follower keeping up | {Percent(full.AcceptedPerSecond / publish)} "
                    + $"({N(full.AcceptedPerSecond)}/s for {full.Took.TotalSeconds:0} s), caught up {settled.TotalSeconds:0.0} s after it ({Queued(queuedAfterDrain)}) "
                    + $"| {Met(full.AcceptedPerSecond / publish >= PipelineTarget && keptUp)} |");
            }

            Line($"| observation → alert p99 ≤ 25 ms, max ≤ 100 ms | p99 {Ms(latencies.ToAlert.P99)}, max {Ms(latencies.ToAlert.Max)} | {Met(latencies.ToAlert.P99 <= 25 && latencies.ToAlert.Max <= 100)} |");
            Line();
        }

        return _text.ToString();
    }

    private void LatencyLines(Latencies figures)
    {
        Line($"- observation → its event on a queue of the load tool's (one broker hop): {figures.ToTap}");
        Line($"- observation → its event read from the event-log stream (a reader set up as the services' followers): {figures.ToLogReader}");
        Line($"- observation → CRS grade change on the bus: {figures.ToGradeChange}");
        Line($"- observation → `AlertRaised` on the bus: {figures.ToAlertOnTheBus}");
        Line($"- observation → alert on the clinicians' SSE stream: {figures.ToAlert}");
    }

    /// <summary>The commit of the checkout whose services were measured (with <c>-dirty</c> for uncommitted changes).</summary>
    private static string Commit()
    {
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", Toxicity.Testing.Repository.Root, "describe", "--always", "--dirty"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (no git)";
        }
    }

    private static string Queued(IReadOnlyList<(string Queue, int Messages)> queued) =>
        queued.Count == 0 ? "nothing queued" : "queued: " + string.Join(", ", queued.Select(q => $"{q.Messages} in `{q.Queue}`"));

    private static string Cores(double cores) => cores.ToString("0.00", CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', ' ');

    private static string Percent(double ratio) => (ratio * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static string Met(bool met) => met ? "yes" : "**no**";

    private void Line(string text = "") => _text.AppendLine(text);
}
