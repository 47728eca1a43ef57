using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Load;
using Toxicity.Testing;

// bash bench/load.sh starts a broker, builds the services in Release and runs this (its header lists the options);
// scripts/test runs it with --smoke: any loss or duplicate fails the run, speed never does.
var options = LoadOptions.Parse(args);
var clock = Stopwatch.StartNew();
void Say(string line) => Console.WriteLine($"{DateTime.Now:HH:mm:ss} load: {line}");

await using var broker = await RabbitMqBroker.StartAsync();
var raw = new Dictionary<string, double>
{
    ["publish"] = await RawBaseline.RateAsync(broker.AmqpUri, options.RawDuration, consume: false),
    ["publish+consume"] = await RawBaseline.RateAsync(broker.AmqpUri, options.RawDuration, consume: true),
};
Say($"raw broker: {raw["publish"]:N0} msg/s confirmed publish-only, {raw["publish+consume"]:N0} msg/s with a consumer");

var wardKey = new ApiKey("load-ward", "ward-system");
var clinicianKey = new ApiKey("load-clinician", "clinician");
var processes = new List<ServiceProcess>();
ServiceProcess Service(string name, params ApiKey[] keys)
{
    var settings = keys.SelectMany((k, i) => k.Settings(i)).ToDictionary();
    settings["Serilog__MinimumLevel__Default"] = "Warning"; // a log line per request would be measured too
    settings["Ingestion__WarmUpFhirValidation"] = "false"; // no FHIR here: its validator's 6 s of start-up CPU would be measured too
    var process = new ServiceProcess(name, broker.AmqpUri, settings);
    processes.Add(process);
    return process;
}

var phases = new List<Phase>();
Report? report = null;
var failures = new List<string>();
try
{
    var ingestion = Service("Ingestion", wardKey);
    await ingestion.StartAsync();
    using var http = Client(ingestion, wardKey, options.Concurrency);

    if (!options.Smoke)
    {
        // Ingestion alone: as fast as it goes, then at half that rate (its own patients; the other services not started yet).
        var solo = new Ward(options, "solo");
        await AdmitAsync(http, solo.Patients);
        var poster = new Poster(http, solo, clock);
        var fastest = await poster.RunAsync("Ingestion alone, as fast as it goes", solo.Patients, 0, options.Concurrency, options.Duration / 2);
        phases.Add(fastest);
        Say($"{fastest.Name}: {fastest.AcceptedPerSecond:N0} accepted/s, HTTP {fastest.Http}");
        var half = await poster.RunAsync("Ingestion alone, at half that rate", solo.Patients, fastest.AcceptedPerSecond / 2, options.Concurrency, options.Duration / 2);
        phases.Add(half);
        Say($"{half.Name}: {half.AcceptedPerSecond:N0} accepted/s, HTTP {half.Http}");
    }

    foreach (var (name, keys) in new[] { ("Grading", new[] { clinicianKey }), ("Mitigation", [clinicianKey]), ("Alerting", [clinicianKey]), ("Audit", Array.Empty<ApiKey>()) })
    {
        await Service(name, keys).StartAsync();
    }

    string Exchange<T>() => $"{typeof(T).Namespace}:{typeof(T).Name}";
    await using var tap = await Tap.StartAsync(broker.AmqpUri, clock,
        Exchange<VitalSignsRecorded>(), Exchange<CrsGradeChanged>(), Exchange<AlertRaised>(), Exchange<MitigationAdvised>());
    // Onsets spread over the turns the phase gives each patient, ending early enough for the vasopressor turn to come.
    var turns = options.Rate > 0 ? (int)(options.Rate * options.Duration.TotalSeconds / options.Patients) : Ward.FeverTurn;
    var ward = new Ward(options, $"r{Guid.NewGuid():N}"[..7], onsetTurns: Math.Max(1, turns - Ward.FeverTurn - 6));
    var mine = ward.Patients.ToHashSet(StringComparer.Ordinal);
    await AdmitAsync(http, ward.Patients);

    // The clinicians' screen: every alert of every ward, as it arrives.
    using var screenClient = processes.Single(p => p.Service == "Alerting").CreateClient(clinicianKey);
    screenClient.Timeout = Timeout.InfiniteTimeSpan;
    var screen = new List<(TimeSpan At, JsonElement Alert)>();
    using var stopScreen = new CancellationTokenSource();
    await using var sse = await SseReader.OpenAsync(screenClient, "api/v1/alerts/stream");
    var reading = Task.Run(async () =>
    {
        while (!stopScreen.IsCancellationRequested)
        {
            try
            {
                var item = await sse.NextAsync("alert", TimeSpan.FromSeconds(1));
                lock (screen)
                {
                    screen.Add((clock.Elapsed, JsonDocument.Parse(item.Data).RootElement.Clone()));
                }
            }
            catch (TimeoutException)
            {
                // nothing this second
            }
        }
    });

    var node = Environment.GetEnvironmentVariable("TOXICITY_RABBITMQ_NODE");
    var steadySampler = new Sampler(broker, processes, node, clock);
    steadySampler.Start();
    var pipelinePoster = new Poster(http, ward, clock);
    var steady = await pipelinePoster.RunAsync("Whole pipeline, steady", ward.Patients, options.Rate, options.Concurrency, options.Duration);
    var steadySamples = await steadySampler.StopAsync();
    var steadyAccepted = pipelinePoster.Accepted.ToDictionary();
    phases.Add(steady);
    Say($"{steady.Name}: {steady.AcceptedPerSecond:N0} accepted/s, HTTP {steady.Http}");

    // Then as fast as the whole pipeline takes it, the same patients (by now their grades stand: no new changes), for as
    // long: what the pipeline sustains, and whether every queue and follower kept up (queued at the end, drain time).
    Samples? fullSamples = null;
    if (!options.Smoke)
    {
        var fullSampler = new Sampler(broker, processes, node, clock);
        fullSampler.Start();
        var full = await pipelinePoster.RunAsync("Whole pipeline, as fast as it goes", ward.Patients, 0, options.Concurrency, options.Duration);
        fullSamples = await fullSampler.StopAsync();
        phases.Add(full);
        Say($"{full.Name}: {full.AcceptedPerSecond:N0} accepted/s, HTTP {full.Http}");
    }

    var pipelineEnd = clock.Elapsed;

    // Settled: every accepted observation on the bus, every owed change, alert and advice (or the deadline).
    var owed = pipelinePoster.AcceptedGrades.Keys.ToHashSet();
    var accepted = pipelinePoster.Accepted.Keys.ToHashSet();
    bool Settled()
    {
        var arrivals = tap.Arrivals.ToList();
        int Count(string type) => arrivals.Count(a => a.Type == type && mine.Contains(a.PatientId));
        lock (screen)
        {
            return arrivals.Count(a => a.Type == nameof(VitalSignsRecorded) && accepted.Contains(a.EventId)) >= accepted.Count
                && accepted.All(tap.ReadFromTheLog.ContainsKey)
                && Count(nameof(CrsGradeChanged)) >= owed.Count && Count(nameof(AlertRaised)) >= owed.Count
                && Count(nameof(MitigationAdvised)) >= owed.Count && screen.Count(s => mine.Contains(s.Alert.GetProperty("patientId").GetString()!)) >= owed.Count;
        }
    }

    // ...and every queue empty (the partitions of Grading, the consumers' queues): every service caught up.
    var settleDeadline = clock.Elapsed + TimeSpan.FromSeconds(90);
    IReadOnlyList<(string Queue, int Messages)> queuedAfterDrain = [];
    while (clock.Elapsed < settleDeadline && (!Settled() || (queuedAfterDrain = await QueuedAsync(broker)).Count > 0))
    {
        await Task.Delay(250);
    }

    var drained = clock.Elapsed - pipelineEnd;
    await Task.Delay(TimeSpan.FromSeconds(3)); // a duplicate would follow its copy within milliseconds

    // Idle: a small ward of its own, every patient deteriorating, ten observations a second and nothing else.
    Latencies? idle = null;
    if (!options.Smoke)
    {
        var quiet = new Ward(options with { Wards = 1, PatientsPerWard = 20, DeteriorateEvery = 1 }, $"i{Guid.NewGuid():N}"[..7]);
        await AdmitAsync(http, quiet.Patients);
        var quietPoster = new Poster(http, quiet, clock);
        await quietPoster.RunAsync("Idle", quiet.Patients, 10, options.Concurrency, TimeSpan.FromSeconds(16));
        await Task.Delay(TimeSpan.FromSeconds(3));
        List<(TimeSpan At, JsonElement Alert)> quietScreen;
        lock (screen)
        {
            quietScreen = [.. screen];
        }

        idle = Latencies.Of(quietPoster.Accepted, quietPoster.Deteriorations, tap.Arrivals.ToList(), tap.ReadFromTheLog, quietScreen);
        Say($"idle: observation → alert on the screen {idle.ToAlert}");
    }

    stopScreen.Cancel();
    await reading;

    List<(TimeSpan At, JsonElement Alert)> seen;
    lock (screen)
    {
        seen = [.. screen];
    }

    var verdict = Verification.Check(ward, tap.Arrivals.ToList(), seen, accepted, owed);
    failures.AddRange(verdict.Failures);
    var latencies = Latencies.Of(steadyAccepted, pipelinePoster.Deteriorations, tap.Arrivals.ToList(), tap.ReadFromTheLog, seen);
    report = new Report(options, raw, phases, verdict, latencies, idle, steadySamples, fullSamples, drained, queuedAfterDrain, clock.Elapsed);
}
finally
{
    foreach (var process in processes)
    {
        // Logging is at Warning: whatever a service said during the run is worth reading beside the report.
        if (process.Output.Length > 0)
        {
            var logs = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "toxicity-load")).FullName;
            await File.WriteAllTextAsync(Path.Combine(logs, $"{process.Service}.log"), process.Output);
            Say($"{process.Service} logged (its last lines): {logs}/{process.Service}.log");
        }

        await process.DisposeAsync();
    }
}

var text = report?.Render() ?? "no report: the run failed before the pipeline phase";
Console.WriteLine(text);
if (options.Output is { } output)
{
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    await File.WriteAllTextAsync(output, text);
    Say($"report written to {output}");
}

if (failures.Count > 0)
{
    Console.Error.WriteLine($"load: FAILED: {failures.Count} problems:\n  " + string.Join("\n  ", failures.Take(50)));
    return 1;
}

Say("nothing lost, nothing twice");
return 0;

static async Task<IReadOnlyList<(string Queue, int Messages)>> QueuedAsync(RabbitMqBroker broker)
{
    var queued = new List<(string Queue, int Messages)>();
    foreach (var queue in await broker.Management.QueueNamesAsync())
    {
        if (await broker.Management.QueueAsync(queue) is { Type: not "stream" } depth && depth.Ready + depth.Unacknowledged > 0)
        {
            queued.Add((queue, depth.Ready + depth.Unacknowledged));
        }
    }

    return queued;
}

static HttpClient Client(ServiceProcess service, ApiKey key, int connections)
{
    var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = service.BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };
    key.Authorize(client);
    return client;
}

static async Task AdmitAsync(HttpClient http, IReadOnlyList<string> patients)
{
    await Parallel.ForEachAsync(patients, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (patient, _) =>
    {
        using var admitted = await http.PutAsync($"api/v1/patients/{patient}", new StringContent(Ward.Admission(patient), Encoding.UTF8, "application/json"));
        admitted.EnsureSuccessStatusCode();
        using var neuro = await http.PostAsync("api/v1/neuro-assessments", new StringContent(Ward.Neuro(patient, DateTimeOffset.UtcNow), Encoding.UTF8, "application/json"));
        if (neuro.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"the neuro assessment of {patient} was answered {(int)neuro.StatusCode}");
        }
    });
}
