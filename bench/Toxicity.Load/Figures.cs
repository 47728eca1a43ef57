namespace Toxicity.Load;

/// <summary>Percentiles of a set of durations, in milliseconds.</summary>
internal sealed record Latency(int Count, double P50, double P95, double P99, double Max)
{
    public static Latency Of(IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Latency(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Latency(sorted.Length, At(0.50), At(0.95), At(0.99), sorted[^1]);
    }

    public override string ToString() =>
        Count == 0 ? "none" : FormattableString.Invariant($"p50 {P50:0.0} ms, p95 {P95:0.0} ms, p99 {P99:0.0} ms, max {Max:0.0} ms (n = {Count})");
}

/// <summary>CPU and resident memory of a process from /proc, between two readings.</summary>
internal sealed record ProcessUse(string Name, int Pid, double CpuSeconds, long RssBytes)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static ProcessUse? Read(string name, int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpu = (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / TicksPerSecond;
            var rss = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kib = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            return new ProcessUse(name, pid, cpu, kib * 1024);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The broker's Erlang VM: the beam.smp process started with <c>RABBITMQ_NODENAME</c> <paramref name="node"/> (scripts/broker).</summary>
    public static int? BrokerPid(string? node)
    {
        if (string.IsNullOrEmpty(node))
        {
            return null;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid))
            {
                try
                {
                    var command = File.ReadAllText(Path.Combine(directory, "cmdline"));
                    if (command.Contains("beam.smp", StringComparison.Ordinal)
                        && File.ReadAllText(Path.Combine(directory, "environ")).Split('\0').Contains($"RABBITMQ_NODENAME={node}", StringComparer.Ordinal))
                    {
                        return pid;
                    }
                }
                catch (IOException)
                {
                    // gone meanwhile
                }
                catch (UnauthorizedAccessException)
                {
                    // not ours
                }
            }
        }

        return null;
    }
}
