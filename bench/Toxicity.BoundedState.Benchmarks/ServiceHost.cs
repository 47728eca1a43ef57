using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Toxicity.Testing;

namespace Toxicity.BoundedState.Benchmarks;

/// <summary>
/// One run of a service as its own process from a build's output, as in production (like Toxicity.Testing's
/// ServiceProcess, but for any build): started with the broker, a port, its test signing key and its snapshot file;
/// timed to <c>/health/ready</c>; its JSON log read for the follower's lines (where it followed the log from, when it was
/// rebuilt, what it restored and wrote); stopped with SIGTERM.
/// </summary>
internal sealed class ServiceHost : IDisposable
{
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromMinutes(2);
    private const int KeptLines = 100;

    private readonly Process _process;
    private readonly Stopwatch _sinceStart;
    private readonly Lock _gate = new();
    private readonly Queue<string> _lastLines = new();
    private readonly List<string> _warnings = [];
    private DateTimeOffset? _followingAt;
    private DateTimeOffset? _rebuiltAt;
    private long? _rebuiltOffset;
    private long? _followedFrom;
    private long? _restoredAt;
    private int _snapshotsWritten;

    private ServiceHost(Process process, Stopwatch sinceStart)
    {
        _process = process;
        _sinceStart = sinceStart;
    }

    public int ProcessId => _process.Id;

    /// <summary>The warnings and errors the service logged (their rendered messages).</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_gate)
            {
                return [.. _warnings];
            }
        }
    }

    public int SnapshotsWritten
    {
        get
        {
            lock (_gate)
            {
                return _snapshotsWritten;
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="service"/> of the build at <paramref name="root"/> and returns once <c>/health/ready</c>
    /// answers 200, with how long that took and what the follower logged.
    /// </summary>
    public static async Task<(ServiceHost Host, ReadyFigures Ready)> StartAsync(string root, string service, Uri broker,
        IReadOnlyDictionary<string, string> settings, TimeSpan deadline)
    {
        var dll = Path.Combine(root, "services", service, "bin", "Release", "net10.0", $"Toxicity.{service}.Service.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{service} is not built in {root}: {dll}", dll);
        }

        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__rabbitmq"] = broker.ToString();
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        foreach (var (key, value) in TestSigningKeys.Settings(service).Concat(settings))
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var host = new ServiceHost(process, Stopwatch.StartNew());
        process.OutputDataReceived += (_, line) => host.Read(line.Data);
        process.ErrorDataReceived += (_, line) => host.Read(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var ready = await host.WaitUntilReadyAsync(address, deadline);
            return (host, ready);
        }
        catch
        {
            host.Kill();
            host.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Memory once the fold has settled: a full blocking GC induced over the diagnostics port (the GC heap after it), then
    /// the median of five VmRSS samples a second apart, and the peak VmRSS of the whole run (VmHWM, the rebuild included).
    /// </summary>
    public async Task<MemoryFigures> SettleAsync()
    {
        // Let what starts once the service is ready (the clocks, the escalator) take its first turn.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var heap = await InducedGc.CollectAsync(ProcessId, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var samples = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            samples.Add(Status("VmRSS"));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        samples.Sort();
        return new MemoryFigures(samples[samples.Count / 2], Status("VmHWM"), heap);
    }

    /// <summary>SIGTERM, as an orchestrator stops a service (the new code writes a snapshot at a stop); how long the exit took.</summary>
    public async Task<TimeSpan> StopAsync()
    {
        var watch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", ProcessId.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(StopDeadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"the service did not stop within {StopDeadline.TotalSeconds} s of SIGTERM:\n{Output}");
        }

        return watch.Elapsed;
    }

    public void Dispose() => _process.Dispose();

    private string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    private void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    private async Task<ReadyFigures> WaitUntilReadyAsync(Uri address, TimeSpan deadline)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the service exited with {_process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var readyAfter = _sinceStart.Elapsed;
                    return Figures(readyAfter);
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy folding to answer within the client's timeout.
            }

            if (_sinceStart.Elapsed > deadline)
            {
                Kill();
                throw new TimeoutException($"the service was not ready within {deadline.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(ReadyPoll);
        }
    }

    private ReadyFigures Figures(TimeSpan readyAfter)
    {
        lock (_gate)
        {
            var rebuild = _followingAt is { } from && _rebuiltAt is { } to ? to - from : (TimeSpan?)null;
            // The follower reads from the first entry (offset 0), or from a restored snapshot's own entry.
            var first = _restoredAt ?? _followedFrom ?? 0;
            var read = _rebuiltOffset is { } last ? last - first + 1 : 0;
            return new ReadyFigures(readyAfter, rebuild, read, _restoredAt, _rebuiltOffset);
        }
    }

    private long Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{ProcessId}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                // "VmRSS:	  123456 kB"
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{ProcessId}/status has no {field}");
    }

    // The services log Serilog's rendered compact JSON: @t, @m, @l (absent for Information) and the properties.
    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }

            if (!line.StartsWith('{'))
            {
                return;
            }

            try
            {
                using var json = JsonDocument.Parse(line);
                Logged(json.RootElement);
            }
            catch (JsonException)
            {
                // Not one of the service's log events (the runtime's own output): kept in the last lines only.
            }
        }
    }

    private void Logged(JsonElement entry)
    {
        var message = entry.TryGetProperty("@m", out var m) ? m.GetString() ?? string.Empty : string.Empty;
        var at = entry.TryGetProperty("@t", out var t) ? t.GetDateTimeOffset() : DateTimeOffset.UtcNow;
        var offset = entry.TryGetProperty("Offset", out var o) && o.ValueKind == JsonValueKind.Number ? o.GetInt64() : (long?)null;
        if (entry.TryGetProperty("@l", out var level) && level.GetString() is "Warning" or "Error" or "Fatal")
        {
            _warnings.Add($"{level.GetString()}: {message}");
        }

        // The messages of EventLogFollower, the same before and after issue 16.
        if (message.StartsWith("Following ", StringComparison.Ordinal) && _followingAt is null)
        {
            _followingAt = at;
            _followedFrom = offset;
        }
        else if (message.StartsWith("Event log read up to start-up", StringComparison.Ordinal) && _rebuiltAt is null)
        {
            _rebuiltAt = at;
            _rebuiltOffset = offset;
        }
        else if (message.StartsWith("Fold restored from the snapshot", StringComparison.Ordinal))
        {
            _restoredAt = offset;
        }
        else if (message.StartsWith("Snapshot at offset", StringComparison.Ordinal) && message.EndsWith("written", StringComparison.Ordinal))
        {
            _snapshotsWritten++;
        }
    }
}

/// <summary>
/// How a start went: process start to <c>/health/ready</c> 200; the follower's rebuild (its "Following" line to its
/// "rebuilt" line); the entries it read to get there; the snapshot offset it restored, if any; the offset it was rebuilt at.
/// </summary>
internal sealed record ReadyFigures(TimeSpan ReadyAfter, TimeSpan? Rebuild, long EntriesRead, long? RestoredAt, long? RebuiltAt)
{
    /// <summary>Entries read per second of rebuild; null when the follower's lines were not seen.</summary>
    public double? FoldRate => Rebuild is { TotalSeconds: > 0 } rebuild && EntriesRead > 0 ? EntriesRead / rebuild.TotalSeconds : null;
}

/// <summary>Resident memory after the settle (median of five samples), the run's peak, and the GC heap after a full GC (null: not read).</summary>
internal sealed record MemoryFigures(long Rss, long PeakRss, long? GcHeap);
