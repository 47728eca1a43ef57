using System.Globalization;

namespace Toxicity.BoundedState.Benchmarks;

/// <summary>The run's settings, from <c>--name value</c> arguments (bench/bounded-state.sh passes them; its header lists them).</summary>
internal sealed record BenchOptions
{
    /// <summary>The broker's amqp URI with credentials; each log gets a virtual host of its own on it.</summary>
    public required Uri Amqp { get; init; }

    /// <summary>The broker's management URL with credentials.</summary>
    public required Uri Management { get; init; }

    /// <summary>The repository root of the build before issue 16 (services built in Release).</summary>
    public required string OldRoot { get; init; }

    /// <summary>The repository root of the build under test.</summary>
    public required string NewRoot { get; init; }

    /// <summary>Where the snapshot files, Audit's databases and the raw results go.</summary>
    public required string Work { get; init; }

    /// <summary>The report's path.</summary>
    public required string Output { get; init; }

    /// <summary>The size of the restart log, in events (rounded up to whole patients); 0: no restart log.</summary>
    public int LogEvents { get; init; } = 1_000_000;

    /// <summary>The patient counts of the memory logs; the smallest is the base of the per-patient figures.</summary>
    public IReadOnlyList<int> MemoryPatients { get; init; } = [10, 1_000, 10_000];

    /// <summary>The days of hourly vital signs of each patient in the restart and memory logs.</summary>
    public int Days { get; init; } = 7;

    /// <summary>The patients of the age log (the same number of patients as a memory log, a longer history); 0: none.</summary>
    public int AgePatients { get; init; } = 1_000;

    /// <summary>The days of hourly vital signs of each patient in the age log.</summary>
    public int AgeDays { get; init; } = 28;

    /// <summary>How many times each start on the restart log is timed (the report gives the median and every run).</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>The services measured on the restart log.</summary>
    public IReadOnlyList<string> Services { get; init; } = ["Grading", "Mitigation", "Alerting", "Audit"];

    /// <summary>The services measured on the memory and age logs.</summary>
    public IReadOnlyList<string> MemoryServices { get; init; } = ["Grading", "Mitigation", "Alerting"];

    /// <summary>Publishers writing a log in parallel, each on a connection of its own.</summary>
    public int Publishers { get; init; } = 4;

    /// <summary>How long a start may take to be ready before the run fails.</summary>
    public TimeSpan ReadyDeadline { get; init; } = TimeSpan.FromMinutes(20);

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            }

            given[args[i][2..]] = args[i + 1];
        }

        string Required(string name) => given.Remove(name, out var value) ? value : throw new ArgumentException($"--{name} is required");
        int Number(string name, int fallback) => given.Remove(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        IReadOnlyList<string>? List(string name) =>
            given.Remove(name, out var value) ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;

        var defaults = new BenchOptions { Amqp = new Uri("amqp://localhost/"), Management = new Uri("http://localhost/"), OldRoot = "", NewRoot = "", Work = "", Output = "" };
        var options = new BenchOptions
        {
            Amqp = new Uri(Required("amqp")),
            Management = new Uri(Required("management")),
            OldRoot = Path.GetFullPath(Required("old")),
            NewRoot = Path.GetFullPath(Required("new")),
            Work = Path.GetFullPath(Required("work")),
            Output = Path.GetFullPath(Required("out")),
            LogEvents = Number("log-events", defaults.LogEvents),
            MemoryPatients = List("memory-patients")?.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).Order().ToArray() ?? defaults.MemoryPatients,
            Days = Number("days", defaults.Days),
            AgePatients = Number("age-patients", defaults.AgePatients),
            AgeDays = Number("age-days", defaults.AgeDays),
            Repeats = Number("repeats", defaults.Repeats),
            Services = List("services") ?? defaults.Services,
            MemoryServices = List("memory-services") ?? defaults.MemoryServices,
            Publishers = Number("publishers", defaults.Publishers),
            ReadyDeadline = TimeSpan.FromMinutes(Number("ready-deadline-minutes", (int)defaults.ReadyDeadline.TotalMinutes)),
        };
        if (given.Count > 0)
        {
            throw new ArgumentException($"unknown options: {string.Join(", ", given.Keys.Select(k => "--" + k))}");
        }

        if (options.Repeats < 1 || options.Publishers < 1 || options.Days < 1)
        {
            throw new ArgumentException("--repeats, --publishers and --days must be 1 or more");
        }

        return options;
    }
}
