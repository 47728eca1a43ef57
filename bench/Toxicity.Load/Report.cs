using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Toxicity.Load;

/// <summary>bench/results/load-*.md: every figure of the run beside the raw broker of the same run, with the ratio.</summary>
internal sealed class Report(LoadOptions options, IReadOnlyDictionary<string, double> raw, IReadOnlyList<Phase> phases, Verdict verdict,
    Latencies latencies, Samples samples, TimeSpan settled, TimeSpan took)
{
    private const double IngestionAloneTarget = 0.25;
    private const double PipelineTarget = 0.12;
    private readonly StringBuilder _text = new();

    public string Render()
    {
        var publish = raw["publish"];
        Line($"# Load: the pipeline beside the raw broker ({DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Line();
        Line($"`bash bench/load.sh{(options.Smoke ? " --smoke" : string.Empty)}` (bench/Toxicity.Load), one run of {took.TotalMinutes:0.0} min: "
            + $"{options.Wards} wards × {options.PatientsPerWard} patients, {options.Concurrency} HTTP requests in flight at most, "
            + $"pipeline phase {options.Duration.TotalSeconds:0} s at {(options.Rate == 0 ? "as fast as it goes" : $"{options.Rate} observations/s")}; "
            + $"one patient in {options.DeteriorateEvery} deteriorates (fever: CRS 1, then norepinephrine: CRS 3). "
            + $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; the services in "
            + $"{Toxicity.Testing.Repository.Configuration} as their own processes, logging at Warning, on one private rabbitmq-server node.");
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
        Line("## Latency, whole pipeline (from the observation's send)");
        Line();
        Line($"- observation → CRS grade change on the bus: {latencies.ToGradeChange}");
        Line($"- observation → `AlertRaised` on the bus: {latencies.ToAlertOnTheBus}");
        Line($"- observation → alert on the clinicians' SSE stream: {latencies.ToAlert}");
        Line($"- after the last post, everything owed was delivered within {settled.TotalSeconds:0.0} s");
        Line();
        Line("## Nothing lost, nothing twice");
        Line();
        Line($"{verdict.Accepted} observations answered 202, {verdict.Recorded} of them on the bus; {verdict.GradeChanges} CRS grade changes, "
            + $"{verdict.Alerts} alerts on the bus, {verdict.ScreenAlerts} on the screen, {verdict.Advice} advice events: "
            + (verdict.Failures.Count == 0 ? "**every one exactly once, as owed**." : $"**{verdict.Failures.Count} problems**: {string.Join("; ", verdict.Failures.Take(10))}"));
        Line();
        Line("## Processes during the pipeline phase");
        Line();
        Line($"Queued messages (every queue but the stream): at most {samples.MaxQueued} (`{samples.MaxQueuedQueue}`), {samples.QueuedAtEnd} at the end.");
        Line();
        Line("| process | CPU cores | peak RSS MiB |");
        Line("|---|---:|---:|");
        foreach (var (name, cores, rss) in samples.Processes)
        {
            Line($"| {name} | {cores.ToString("0.00", CultureInfo.InvariantCulture)} | {(rss / 1048576.0).ToString("0", CultureInfo.InvariantCulture)} |");
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

            var pipeline = phases[^1];
            Line($"| whole pipeline ≥ {Percent(PipelineTarget)} of raw publish, every queue draining | {Percent(pipeline.AcceptedPerSecond / publish)} at a target of "
                + $"{(pipeline.TargetRate == 0 ? "max" : N(pipeline.TargetRate))}/s, {samples.QueuedAtEnd} queued at the end | {Met(pipeline.AcceptedPerSecond / publish >= PipelineTarget && samples.QueuedAtEnd == 0)} |");
            Line($"| observation → alert p99 ≤ 25 ms, max ≤ 100 ms | p99 {Ms(latencies.ToAlert.P99)}, max {Ms(latencies.ToAlert.Max)} | {Met(latencies.ToAlert.P99 <= 25 && latencies.ToAlert.Max <= 100)} |");
            Line();
        }

        return _text.ToString();
    }

    private static string N(double value) => value.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', ' ');

    private static string Percent(double ratio) => (ratio * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static string Met(bool met) => met ? "yes" : "**no**";

    private void Line(string text = "") => _text.AppendLine(text);
}
