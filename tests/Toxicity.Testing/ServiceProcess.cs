using System.Diagnostics;
using System.Net;

namespace Toxicity.Testing;

/// <summary>
/// One Toxicity service run as its own process from its build output, as in production: bound to a fixed free
/// port on 127.0.0.1 (kept across restarts), started with a deadline on <c>/health/ready</c>, stopped with
/// SIGTERM or killed with SIGKILL. Keeps the last lines of its output for failure messages.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);
    private const int KeptLines = 200;

    private readonly Dictionary<string, string> _environment;
    private readonly Queue<string> _output = new();
    private readonly Lock _outputGate = new();
    private readonly string? _auditDatabase;
    private readonly string _snapshots = Path.Combine(Path.GetTempPath(), $"toxicity-snapshots-{Guid.NewGuid():N}.db");
    private readonly string _logFile = Path.Combine(Path.GetTempPath(), $"toxicity-service-{Guid.NewGuid():N}.log");
    private StreamWriter? _log;
    private Process? _process;

    public ServiceProcess(string service, Uri broker, IReadOnlyDictionary<string, string>? settings = null)
    {
        Service = service;
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        _environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__rabbitmq"] = broker.ToString(),
            ["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/'),
            ["DOTNET_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Messaging__StartupTimeoutSeconds"] = "30",
        };
        // Every service signs what it publishes; Audit knows every key and keeps its chain in a file of this process's own.
        foreach (var (key, value) in TestSigningKeys.Settings(service))
        {
            _environment[key] = value;
        }

        // Each process keeps its snapshots in a file of its own, kept across its restarts (SnapshotsPath).
        _environment["Snapshots__Path"] = _snapshots;
        if (service == "Audit")
        {
            _auditDatabase = Path.Combine(Path.GetTempPath(), $"toxicity-audit-{Guid.NewGuid():N}.db");
            _environment["Audit__Database"] = _auditDatabase;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _environment[key] = value;
        }
    }

    public string Service { get; }

    /// <summary>The SQLite file the service keeps its snapshots in (the same across restarts of this process).</summary>
    public string SnapshotsPath => _snapshots;

    public Uri BaseAddress { get; }

    /// <summary>Everything the service wrote, over all its starts (kept until <see cref="DisposeAsync"/>): for a scan of the whole log.</summary>
    public string LogFile => _logFile;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The operating system's id of the running process (for /proc measurements), or null.</summary>
    public int? ProcessId => IsRunning ? _process!.Id : null;

    /// <summary>The last lines the service wrote, for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_outputGate)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public HttpClient CreateClient(ApiKey? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        key?.Authorize(client);
        return client;
    }

    /// <summary>Changes a setting for the next start (e.g. a site changing its configuration between two runs).</summary>
    public void Set(string key, string value) => _environment[key] = value;

    /// <summary>Damages the snapshot file after SQLite's 100-byte header (the service stopped), as a failing disk would.</summary>
    public async Task DamageSnapshotFileAsync()
    {
        var bytes = await File.ReadAllBytesAsync(_snapshots);
        Random.Shared.NextBytes(bytes.AsSpan(100));
        await File.WriteAllBytesAsync(_snapshots, bytes);
    }

    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Service} is already running");
        }

        var dll = Repository.ServiceDll(Service);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{Service} is not built: {dll} (build the solution first)", dll);
        }

        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        lock (_outputGate)
        {
            _log ??= new StreamWriter(_logFile, append: true) { AutoFlush = true };
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = CreateClient();
        var until = DateTime.UtcNow + ReadyDeadline;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Service} exited with {process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{Service} was not ready within {ReadyDeadline.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A graceful stop: SIGTERM, then wait for the process to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(StopDeadline);
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>SIGKILL: the process dies wherever it is, as in a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        process.Kill();
        using var timeout = new CancellationTokenSource(StopDeadline);
        await process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }

        _process?.Dispose();
        lock (_outputGate)
        {
            _log?.Dispose();
            _log = null;
        }

        foreach (var file in new[] { _snapshots, _snapshots + "-wal", _snapshots + "-shm", _logFile })
        {
            File.Delete(file);
        }

        if (_auditDatabase is not null)
        {
            foreach (var file in new[] { _auditDatabase, _auditDatabase + "-wal", _auditDatabase + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            _log?.WriteLine(line);
            _output.Enqueue(line);
            while (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }
}
