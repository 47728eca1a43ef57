using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Toxicity.BoundedState.Benchmarks;

/// <summary>What the report says of the machine: processor, cores, memory, system, .NET, broker, and the load around the run.</summary>
internal sealed record Machine(string Processor, int Cores, long MemoryBytes, string OperatingSystem, string Runtime, string Sdk, string Broker, string LoadAtStart)
{
    public string LoadAtEnd { get; init; } = string.Empty;

    public static async Task<Machine> ReadAsync(Management management)
    {
        var processor = (await File.ReadAllLinesAsync("/proc/cpuinfo")).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memory = (await File.ReadAllLinesAsync("/proc/meminfo")).First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var system = (await File.ReadAllLinesAsync("/etc/os-release")).FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? "Linux";
        return new Machine(processor, Environment.ProcessorCount,
            long.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024,
            $"{system}, kernel {Environment.OSVersion.Version}", RuntimeInformation.FrameworkDescription, await RunAsync("dotnet", "--version"),
            await management.VersionAsync(), Load());
    }

    /// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg): on a 2-core machine, anything above 0 competes with the measurement.</summary>
    public static string Load() => string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>Runs a command; its standard output, trimmed.</summary>
    public static async Task<string> RunAsync(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException($"could not start {command}");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}");
    }
}
