using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Faults.Tests;

/// <summary>
/// One fault run, shared by the invariant tests: a broker node of its own (so that restarting it takes no other test's
/// broker down), the five services as processes, each reaching the broker through a TCP proxy of its own, a
/// clinician's screen on the SSE stream and a pager behind a webhook. While the wards post, fault after fault, the run
/// kills and restarts every service, has the broker close every service's connections, cuts every service's network
/// link, redelivers copies of observations and grade changes, sends accepted requests again, puts poison on every
/// consumer queue, posts names and free text, and restarts the broker. Then it waits until everything settled and
/// gathers the evidence: the event log as Audit exported it, Audit's re-grade and verification, the screen, the pager,
/// the <c>_error</c> queues and every service's whole log.
/// </summary>
public sealed class FaultRun : IAsyncLifetime
{
    /// <summary>Set by scripts/test: where the run's counts are written, so that the CI log shows them.</summary>
    public const string ReportVariable = "TOXICITY_FAULT_REPORT";

    /// <summary>Name-like and free text the run posts (refused, or dropped by the readers); never in any log.</summary>
    public static readonly string[] PrivateText = ["Fuzzbottom", "Agatha", "complained of chills"];

    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(150);
    private readonly List<ServiceProcess> _services = [];
    private readonly Dictionary<string, TcpProxy> _links = new(StringComparer.Ordinal);
    private readonly List<string> _faults = [];
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"toxicity-faults-{Guid.NewGuid():N}");
    private readonly Stopwatch _clock = new();

    internal ApiKey WardKey { get; } = new("faults-ward", "ward-system");

    internal ApiKey ClinicianKey { get; } = new("faults-clinician", "clinician");

    internal ApiKey AuditorKey { get; } = new("faults-auditor", "auditor");

    internal RabbitMqBroker Broker { get; private set; } = null!;

    internal FaultyWard Ward { get; private set; } = null!;

    internal IReadOnlyList<ServiceProcess> Services => _services;

    /// <summary>The faults injected, in order, each with what it did.</summary>
    internal IReadOnlyList<string> Faults => _faults;

    internal IReadOnlyList<PoisonMessage> Poison { get; private set; } = [];

    internal int Redelivered { get; private set; }

    internal int SentAgain { get; private set; }

    /// <summary>Every entry of the event log Audit exported at the end (kind "event"), auditors' own requests left out.</summary>
    internal IReadOnlyList<JsonElement> Log { get; private set; } = [];

    internal JsonElement Regrade { get; private set; }

    internal JsonElement Verification { get; private set; }

    internal IReadOnlyList<JsonElement> Screen { get; private set; } = [];

    internal int ScreenConnections { get; private set; }

    internal IReadOnlyList<ReceivedWebhook> Pages { get; private set; } = [];

    /// <summary>What each consumer queue's <c>_error</c> queue holds at the end: headers and body of each message.</summary>
    internal IReadOnlyDictionary<string, IReadOnlyList<(IReadOnlyDictionary<string, string> Headers, string Payload)>> ErrorQueues { get; private set; } =
        new Dictionary<string, IReadOnlyList<(IReadOnlyDictionary<string, string>, string)>>();

    /// <summary>Every <c>_skipped</c> queue that holds messages at the end (MassTransit's silent dead letters), with how many.</summary>
    internal IReadOnlyList<(string Queue, int Messages)> Skipped { get; private set; } = [];

    /// <summary>Every service's whole output over the run (all its starts).</summary>
    internal IReadOnlyDictionary<string, string> Logs { get; private set; } = new Dictionary<string, string>();

    internal TimeSpan Took { get; private set; }

    internal TimeSpan Settled { get; private set; }

    internal string Summary { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _clock.Start();
        Broker = await RabbitMqBroker.StartPrivateNodeAsync();
        await using var pager = WebhookReceiver.Start(_ => 204);
        StartServices(pager);
        await Task.WhenAll(_services.Select(s => s.StartAsync()));
        await using var faults = new BrokerFaults(Broker.AmqpUri);
        await faults.KeepCopiesAsync();

        using var ingestion = Client(Service("Ingestion"), WardKey);
        Ward = new FaultyWard(ingestion, patients: 12, run: $"f{Guid.NewGuid():N}"[..8]);
        await Ward.AdmitAsync();
        var start = DateTimeOffset.UtcNow;
        var screen = new AlertScreen(Client(Service("Alerting"), ClinicianKey));
        await using (screen)
        {
            using var stop = new CancellationTokenSource();
            var posting = Ward.RunAsync(stop.Token);
            await InjectFaultsAsync(faults, ingestion);
            await stop.CancelAsync();
            await posting;

            var settling = Stopwatch.StartNew();
            await SettleAsync(start, screen, pager);
            Settled = settling.Elapsed;
            // A duplicate effect would follow its copy within moments; none may come in the next seconds either.
            await Task.Delay(TimeSpan.FromSeconds(3));
            await GatherAsync(start, screen, pager, faults);
        }

        Took = _clock.Elapsed;
        Summary = Summarize();
        if (Environment.GetEnvironmentVariable(ReportVariable) is { Length: > 0 } report)
        {
            await File.WriteAllTextAsync(report, Summary + "\n");
        }
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_services.Select(s => s.DisposeAsync().AsTask()));
        foreach (var link in _links.Values)
        {
            await link.DisposeAsync();
        }

        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    /// <summary>What every service wrote last, for a failure message.</summary>
    internal string Diagnostics() => string.Join("\n\n", _services.Select(s => $"== {s.Service} ==\n{s.Output}"));

    internal ServiceProcess Service(string name) => _services.Single(s => s.Service == name);

    internal static string Type(JsonElement entry) => entry.GetProperty("type").GetString()!.Split(':')[^1];

    internal static JsonElement Event(JsonElement entry) => entry.GetProperty("event");

    private void StartServices(WebhookReceiver pager)
    {
        Directory.CreateDirectory(_data);
        var mllp = FreePort.Next();
        Add("Ingestion", new Dictionary<string, string>(WardKey.Settings(0))
        {
            ["Ingestion__DatabasePath"] = Path.Combine(_data, "ingestion.db"),
            ["Ingestion__Mllp__Port"] = mllp.ToString(CultureInfo.InvariantCulture),
            ["Ingestion__Mllp__Address"] = "127.0.0.1",
            ["Ingestion__WarmUpFhirValidation"] = "false",
        });
        MllpPort = mllp;
        Add("Grading", ClinicianKey.Settings(0));
        Add("Mitigation", ClinicianKey.Settings(0));
        var alerting = new Dictionary<string, string>(ClinicianKey.Settings(0))
        {
            ["Alerting__Webhooks__Subscribers__pager__Url"] = pager.Url.ToString(),
            ["Alerting__Webhooks__Subscribers__pager__Secret"] = WebhookReceiver.NewSecret(),
            ["Alerting__Webhooks__FirstRetryDelay"] = "00:00:00.200",
        };
        string[] tiers = ["bedside-nurse", "ward-physician", "icu-outreach"];
        for (var i = 0; i < tiers.Length; i++)
        {
            alerting[$"Alerting__Webhooks__Subscribers__pager__Tiers__{i}"] = tiers[i];
        }

        Add("Alerting", alerting);
        Add("Audit", AuditorKey.Settings(0));
    }

    internal int MllpPort { get; private set; }

    /// <summary>A service reaching the broker through a TCP proxy of its own, so that the run can cut its network link.</summary>
    private void Add(string service, IReadOnlyDictionary<string, string> settings)
    {
        var link = new TcpProxy(Broker.AmqpUri);
        _links[service] = link;
        _services.Add(new ServiceProcess(service, link.Through(Broker.AmqpUri), settings));
    }

    /// <summary>The faults, one after the other, with the wards posting throughout.</summary>
    private async Task InjectFaultsAsync(BrokerFaults faults, HttpClient ingestion)
    {
        await Task.Delay(TimeSpan.FromSeconds(4));
        await PostPrivateTextAsync(ingestion);
        foreach (var service in _services)
        {
            await service.KillAsync();
            await service.StartAsync();
            Fault($"SIGKILL {service.Service}, started again");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        foreach (var service in _services)
        {
            var prefix = service.Service.ToLowerInvariant();
            var closed = await Broker.Management.CloseConnectionsAsync(name => name == prefix || name.StartsWith(prefix + "-", StringComparison.Ordinal));
            Fault($"cut {service.Service}'s {closed} broker connections");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        foreach (var service in _services)
        {
            // The network this time: every connection dropped without a word, new ones refused, then the link back.
            await _links[service.Service].CutAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            _links[service.Service].Open();
            Fault($"cut {service.Service}'s network link to the broker for 3 s");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Redelivered = await faults.RedeliverCopiesAsync(400);
        Fault($"redelivered {Redelivered} copies of observations and grade changes to the consumers' queues");
        SentAgain = await Ward.SendAgainAsync(50);
        Fault($"sent {SentAgain} accepted requests again with their Idempotency-Key");
        await Task.Delay(TimeSpan.FromSeconds(2));

        Poison = await faults.PoisonAsync((await ConsumerQueuesAsync()).Select(q => q.Name));
        Fault($"put {Poison.Count} poison messages on {Poison.Select(p => p.Queue).Distinct().Count()} consumer queues");
        await Task.Delay(TimeSpan.FromSeconds(3));

        await Broker.RestartAsync();
        Fault("restarted the broker node (stop, start)");
        await Task.Delay(TimeSpan.FromSeconds(4));
        Redelivered += await faults.RedeliverCopiesAsync(200);
        Fault($"redelivered copies again, {Redelivered} in all");
        // The wards go on after the restart: observations graded, alerted and logged by the reconnected services.
        await Task.Delay(TimeSpan.FromSeconds(16));
    }

    private void Fault(string what) => _faults.Add($"{_clock.Elapsed.TotalSeconds:0}s {what}");

    /// <summary>Every queue a service consumes from (its partitions, its consumers' queues), not the log nor the run's own, with its depth.</summary>
    private async Task<IReadOnlyList<(string Name, QueueDepth Depth)>> ConsumerQueuesAsync()
    {
        var queues = new List<(string, QueueDepth)>();
        foreach (var name in await Broker.Management.QueueNamesAsync())
        {
            if (name != BrokerFaults.CopiesQueue && !name.EndsWith("_error", StringComparison.Ordinal) && !name.EndsWith("_skipped", StringComparison.Ordinal)
                && await Broker.Management.QueueAsync(name) is { Type: not "stream" } depth)
            {
                queues.Add((name, depth));
            }
        }

        return queues;
    }

    /// <summary>Names and free text where a ward system might put them: in ids, in fields nobody reads, in HL7 PID-5.</summary>
    private async Task PostPrivateTextAsync(HttpClient ingestion)
    {
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var patient = Ward.Patients[1];
        var refused = 0;
        // The HL7 message's readings are recorded (the name dropped) for a patient of its own: no 202 names their id.
        var byHl7 = $"{patient}-hl7";
        await Ward.PostAsync($"api/v1/patients/{byHl7}", """{"ageYears":61,"weightKg":70,"diagnosis":"DLBCL","ward":"faults"}""", HttpMethod.Put);
        foreach (var (method, path, body) in new[]
        {
            (HttpMethod.Put, "api/v1/patients/Agatha%20Fuzzbottom", """{"ageYears":61,"weightKg":70,"diagnosis":"DLBCL","ward":"faults"}"""),
            (HttpMethod.Post, "api/v1/vital-signs", $$"""{"patientId":"Agatha Fuzzbottom","observedAt":"{{now}}","heartRate":80}"""),
            (HttpMethod.Post, "api/v1/vital-signs", $$"""{"patientId":"{{patient}}","observedAt":"{{now}}","heartRate":80,"note":"Mrs Fuzzbottom complained of chills"}"""),
            (HttpMethod.Post, "api/v1/neuro-assessments", $$"""{"patientId":"{{patient}}","observedAt":"{{now}}","iceScore":"Agatha Fuzzbottom"}"""),
        })
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using var response = await ingestion.SendAsync(request);
            refused += (int)response.StatusCode is >= 400 and < 500 ? 1 : 0;
        }

        using (var alerting = Client(Service("Alerting"), ClinicianKey))
        {
            using var chart = await alerting.GetAsync("api/v1/patients/Agatha%20Fuzzbottom/chart");
            refused += (int)chart.StatusCode is >= 400 and < 500 ? 1 : 0;
        }

        await using var mllp = await MllpClient.ConnectAsync(MllpPort);
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+0000";
        var ack = await mllp.SendAsync(MllpClient.Message(
            $"MSH|^~\\&|GATEWAY|WARD|||{stamp}||ORU^R01^ORU_R01|{Guid.NewGuid().ToString("N")[..20]}|P|2.6|||AL|NE",
            $"PID|||{byHl7}^^^TOXICITY^PI||FUZZBOTTOM^AGATHA",
            $"OBR|1|||182777000^monitoring of patient^SCT|||{stamp}",
            "OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|80|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R",
            "NTE|1||Mrs Fuzzbottom complained of chills"));
        Fault($"posted names and free text: {refused} requests refused, HL7 with PID-5 and NTE answered {ack.Split('\r').FirstOrDefault(s => s.StartsWith("MSA|", StringComparison.Ordinal)) ?? ack}");
    }

    /// <summary>Until every accepted observation is in the log, every queue drained, and every effect of every grade change arrived.</summary>
    private async Task SettleAsync(DateTimeOffset start, AlertScreen screen, WebhookReceiver pager)
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < SettleDeadline)
        {
            try
            {
                if (await IsSettledAsync(start, screen, pager))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // a service still reconnecting
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private async Task<bool> IsSettledAsync(DateTimeOffset start, AlertScreen screen, WebhookReceiver pager)
    {
        if ((await ConsumerQueuesAsync()).Any(q => q.Depth.Ready + q.Depth.Unacknowledged > 0))
        {
            return false;
        }

        var log = await ExportAsync();
        var ids = log.Select(e => e.GetProperty("eventId").GetGuid()).ToHashSet();
        if (!Ward.Accepted.Keys.All(ids.Contains))
        {
            return false;
        }

        var changes = log.Where(e => Type(e) is "CrsGradeChanged" or "IcansGradeChanged").Select(e => e.GetProperty("eventId").GetGuid()).ToHashSet();
        var alerts = log.Where(e => Type(e) == "AlertRaised").ToList();
        var caused = alerts.Select(a => Event(a).GetProperty("causedByEventId").GetGuid()).ToHashSet();
        var onScreen = screen.Alerts.Select(a => a.GetProperty("alertId").GetGuid()).ToHashSet();
        var paged = pager.Received.Select(p => p.Id).ToHashSet();
        return changes.All(caused.Contains)
            && alerts.All(a => onScreen.Contains(a.GetProperty("eventId").GetGuid()))
            && alerts.Where(a => Event(a).GetProperty("kind").GetString() != "notice").All(a => paged.Contains(a.GetProperty("eventId").GetGuid().ToString()))
            && (await RegradeAsync(start)).GetProperty("differences").GetArrayLength() == 0;
    }

    private async Task GatherAsync(DateTimeOffset start, AlertScreen screen, WebhookReceiver pager, BrokerFaults faults)
    {
        Log = await ExportAsync();
        Regrade = await RegradeAsync(start);
        using (var audit = Client(Service("Audit"), AuditorKey))
        {
            Verification = await audit.GetFromJsonAsync<JsonElement>("api/v1/audit/verify");
        }

        Screen = screen.Alerts;
        ScreenConnections = screen.Connections;
        Pages = pager.Received;
        var errors = new Dictionary<string, IReadOnlyList<(IReadOnlyDictionary<string, string>, string)>>(StringComparer.Ordinal);
        foreach (var queue in Poison.Select(p => p.Queue).Distinct())
        {
            errors[queue] = await faults.ErrorMessagesAsync(queue);
        }

        ErrorQueues = errors;
        var skipped = new List<(string, int)>();
        foreach (var name in (await Broker.Management.QueueNamesAsync()).Where(n => n.EndsWith("_skipped", StringComparison.Ordinal)))
        {
            if (await Broker.Management.QueueAsync(name) is { } depth && depth.Ready + depth.Unacknowledged > 0)
            {
                skipped.Add((name, depth.Ready + depth.Unacknowledged));
            }
        }

        Skipped = skipped;
        Logs = _services.ToDictionary(s => s.Service, s => File.Exists(s.LogFile) ? File.ReadAllText(s.LogFile) : string.Empty);
    }

    private async Task<IReadOnlyList<JsonElement>> ExportAsync()
    {
        using var audit = Client(Service("Audit"), AuditorKey);
        var text = await audit.GetStringAsync("api/v1/audit/events");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .Where(e => e.GetProperty("kind").GetString() == "event" && Type(e) != "AuditRequested")];
    }

    private async Task<JsonElement> RegradeAsync(DateTimeOffset start)
    {
        using var audit = Client(Service("Audit"), AuditorKey);
        using var response = await audit.PostAsJsonAsync("api/v1/audit/regrade", new { from = start.AddMinutes(-1), to = DateTimeOffset.UtcNow.AddMinutes(10) });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private string Summarize()
    {
        int Count(string type) => Log.Count(e => Type(e) == type);
        int Distinct(string type) => Log.Where(e => Type(e) == type).Select(e => e.GetProperty("eventId").GetGuid()).Distinct().Count();
        var observations = new[] { "PatientAdmitted", "VitalSignsRecorded", "NeuroAssessmentRecorded" };
        var logged = Log.Where(e => observations.Contains(Type(e))).ToList();
        var copies = logged.Count - logged.Select(e => e.GetProperty("eventId").GetGuid()).Distinct().Count();
        var lines = new List<string>
        {
            $"fault suite: {Ward.Patients.Count} patients, {Ward.Accepted.Count} observations accepted ({Ward.Retries} requests sent again after a 5xx or a lost connection), run {Took.TotalSeconds:0} s (settled {Settled.TotalSeconds:0} s after the wards stopped)",
            $"faults injected: {_faults.Count} ({Redelivered} messages redelivered, {SentAgain} requests sent again, {Poison.Count} poison messages)",
        };
        lines.AddRange(_faults.Select(f => "  " + f));
        lines.Add($"events checked: {Log.Count} in the log ({copies} copies of an observation under its own id, dropped by every consumer), "
            + $"{Distinct("CrsGradeChanged")} CRS and {Distinct("IcansGradeChanged")} ICANS grade changes, {Distinct("MitigationAdvised")} advice, {Distinct("AlertRaised")} alerts, "
            + $"{Screen.Count} alerts on the screen ({ScreenConnections} connections), {Pages.Count} pages ({Pages.Select(p => p.Id).Distinct().Count()} distinct)");
        lines.Add($"re-grade differences: {Regrade.GetProperty("differences").GetArrayLength()}; audit verify intact: {Verification.GetProperty("intact").GetBoolean()}; "
            + $"poison in _error: {Poison.Count(p => ErrorQueues.TryGetValue(p.Queue, out var held) && held.Any(m => m.Payload.Contains(p.Marker, StringComparison.Ordinal)))} of {Poison.Count}");
        var (losses, duplicates) = Invariants.Count(this);
        lines.Add($"counted: {Count("VitalSignsRecorded")} vital signs entries, {Count("CrsGradeChanged")} CRS change entries; losses = {losses}, duplicates = {duplicates}");
        return string.Join('\n', lines);
    }

    private static HttpClient Client(ServiceProcess service, ApiKey key)
    {
        var client = service.CreateClient(key);
        client.Timeout = TimeSpan.FromSeconds(15);
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class FaultRunCollection : ICollectionFixture<FaultRun>
{
    public const string Name = "the fault run";
}
