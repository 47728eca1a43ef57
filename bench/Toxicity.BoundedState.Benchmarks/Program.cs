using System.Diagnostics;
using System.Text.Json;
using Toxicity.BoundedState.Benchmarks;

// bash bench/bounded-state.sh starts the broker, builds both sides and runs this with their roots (its header lists the options).
var options = BenchOptions.Parse(args);
Directory.CreateDirectory(options.Work);
using var management = new Management(options.Management);
var before = await BuildOf("before", options.OldRoot);
var after = await BuildOf("after", options.NewRoot);
var machine = await Machine.ReadAsync(management);
var benchmark = new Benchmark(options, management, before, after, Console.Out);

var started = DateTimeOffset.Now;
var watch = Stopwatch.StartNew();
var results = new List<LogResult>();
foreach (var plan in benchmark.Plans())
{
    results.Add(await benchmark.RunAsync(plan));
    // The raw figures so far, in case a later log fails.
    await File.WriteAllTextAsync(Path.Combine(options.Work, "results.json"),
        JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
}

var report = new Report(options, machine with { LoadAtEnd = Machine.Load() }, before, after, results, started, watch.Elapsed);
Directory.CreateDirectory(Path.GetDirectoryName(options.Output)!);
await File.WriteAllTextAsync(options.Output, report.Render());
Console.WriteLine($"bounded-state: report written to {options.Output} after {watch.Elapsed.TotalMinutes:0.0} min");

static async Task<Build> BuildOf(string label, string root)
{
    var commit = await Machine.RunAsync("git", "-C", root, "rev-parse", "HEAD");
    var subject = await Machine.RunAsync("git", "-C", root, "log", "-1", "--format=%s");
    return new Build(label, root, commit, subject);
}
