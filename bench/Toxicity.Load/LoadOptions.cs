using System.Globalization;

namespace Toxicity.Load;

/// <summary>The run's settings, from <c>--name value</c> arguments (bench/load.sh passes them; its header lists them).</summary>
internal sealed record LoadOptions
{
    /// <summary>Wards posting.</summary>
    public int Wards { get; init; } = 10;

    /// <summary>Patients per ward.</summary>
    public int PatientsPerWard { get; init; } = 50;

    /// <summary>Observations per second over all wards; 0: as fast as the concurrency allows.</summary>
    public int Rate { get; init; } = 500;

    /// <summary>HTTP requests in flight at most.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>How long the wards post.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long each raw baseline runs.</summary>
    public TimeSpan RawDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>One patient in this many deteriorates (a fever, then a vasopressor): grade changes, advice and alerts.</summary>
    public int DeteriorateEvery { get; init; } = 10;

    /// <summary>Where the report goes (none: printed only).</summary>
    public string? Output { get; init; }

    /// <summary>The smoke run of CI: small, short, fails on any loss or duplicate, never on speed.</summary>
    public bool Smoke { get; init; }

    public int Patients => Wards * PatientsPerWard;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        var smoke = false;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--smoke")
            {
                smoke = true;
                continue;
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected --name value pairs or --smoke, got '{args[i]}'");
            }

            given[args[i][2..]] = args[++i];
        }

        var defaults = smoke
            ? new LoadOptions { Smoke = true, Wards = 2, PatientsPerWard = 10, Rate = 100, Concurrency = 16, Duration = TimeSpan.FromSeconds(15), RawDuration = TimeSpan.FromSeconds(2), DeteriorateEvery = 4 }
            : new LoadOptions();
        int Number(string name, int fallback) => given.Remove(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
        var options = defaults with
        {
            Wards = Number("wards", defaults.Wards),
            PatientsPerWard = Number("patients-per-ward", defaults.PatientsPerWard),
            Rate = Number("rate", defaults.Rate),
            Concurrency = Number("concurrency", defaults.Concurrency),
            Duration = TimeSpan.FromSeconds(Number("seconds", (int)defaults.Duration.TotalSeconds)),
            RawDuration = TimeSpan.FromSeconds(Number("raw-seconds", (int)defaults.RawDuration.TotalSeconds)),
            DeteriorateEvery = Number("deteriorate-every", defaults.DeteriorateEvery),
            Output = given.Remove("out", out var output) ? Path.GetFullPath(output) : null,
        };
        if (given.Count > 0)
        {
            throw new ArgumentException($"unknown options: {string.Join(", ", given.Keys.Select(k => "--" + k))}");
        }

        if (options.Wards < 1 || options.PatientsPerWard < 1 || options.Concurrency < 1 || options.Rate < 0 || options.DeteriorateEvery < 1)
        {
            throw new ArgumentException("--wards, --patients-per-ward, --concurrency and --deteriorate-every must be 1 or more, --rate 0 or more");
        }

        return options;
    }
}
