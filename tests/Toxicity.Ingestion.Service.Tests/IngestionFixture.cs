using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Toxicity.Contracts;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Ingestion.Service.Tests;

/// <summary>
/// The Ingestion service in process (WebApplicationFactory) on a real broker, reached through a TCP proxy so a test
/// can take the broker away; a probe queue shows exactly what was published. One SQLite file per fixture.
/// </summary>
public class IngestionFixture : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"toxicity-ingestion-{Guid.NewGuid():N}");
    private WebApplicationFactory<Program> _factory = null!;

    /// <summary>The assigning authority of PID-3 this site's HL7 v2 senders use (as in the public PCD-01 sample of docs/hl7v2.md).</summary>
    public const string AssigningAuthority = "NIST";

    /// <summary>How long the MLLP listener waits for a frame to finish (short, so the slow-sender test is quick).</summary>
    public const int FrameTimeoutSeconds = 2;

    public RabbitMqBroker Broker { get; private set; } = null!;

    /// <summary>The HL7 v2 MLLP listener's port.</summary>
    public int MllpPort { get; } = FreePort.Next();

    public TcpProxy Proxy { get; private set; } = null!;

    public EventProbe Probe { get; private set; } = null!;

    public ApiKey Ward { get; } = new("test-ward", "ward-system");

    public ApiKey Clinician { get; } = new("test-clinician", "clinician");

    /// <summary>An admitted patient for tests that only need one to exist.</summary>
    public string MarkerPatient { get; } = $"marker-{Guid.NewGuid():N}"[..20];

    public async Task InitializeAsync()
    {
        Broker = await RabbitMqBroker.StartAsync();
        Proxy = new TcpProxy(Broker.AmqpUri);
        Probe = await EventProbe.StartAsync(Broker.AmqpUri, typeof(IPatientEvent).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && typeof(IPatientEvent).IsAssignableFrom(t))
            .Select(t => $"{t.Namespace}:{t.Name}"));
        await StartAsync();
        await AdmitAsync(MarkerPatient);
        await PublishedSinceLastCheckAsync(); // the probe starts empty for the tests
    }

    public virtual async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Probe.DisposeAsync();
        await Proxy.DisposeAsync();
        await Broker.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    public HttpClient Client(ApiKey? key = null)
    {
        var client = _factory.CreateClient();
        key?.Authorize(client);
        return client;
    }

    /// <summary>Stops the in-process service and starts a new one on the same database, as after a crash and restart.</summary>
    public async Task RestartAsync()
    {
        await _factory.DisposeAsync();
        await StartAsync();
    }

    public async Task AdmitAsync(string patientId)
    {
        using var http = Client(Ward);
        using var response = await http.PutAsJsonAsync($"api/v1/patients/{patientId}", new { ageYears = 44, weightKg = 70, diagnosis = "FL" });
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"admission answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Everything published since the last call: posts a marker observation and reads the probe queue up to it
    /// (the queue keeps publication order), so "nothing was published" is a fact, not a timeout.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> PublishedSinceLastCheckAsync()
    {
        using var http = Client(Ward);
        using var response = await http.PostAsJsonAsync("api/v1/vital-signs", new { patientId = MarkerPatient, observedAt = DateTimeOffset.UtcNow, heartRate = 80 });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"marker answered {(int)response.StatusCode}: {body}");
        }

        var marker = JsonDocument.Parse(body).RootElement.GetProperty("eventId").GetGuid();
        var events = await Probe.DrainUntilAsync(marker, Deadline);
        return [.. events.Take(events.Count - 1)];
    }

    /// <summary>Settings a derived fixture adds (e.g. MLLP over TLS).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> ExtraSettings() => [];

    /// <summary>Starts the service and waits until it is ready (bus connected, event log declared), as a load balancer would.</summary>
    private async Task StartAsync()
    {
        var settings = new Dictionary<string, string>(Ward.Settings(0).Concat(Clinician.Settings(1)))
        {
            ["ConnectionStrings__rabbitmq"] = Proxy.Through(Broker.AmqpUri).ToString(),
            ["Ingestion__DatabasePath"] = Path.Combine(_dataDirectory, "ingestion.db"),
            ["Ingestion__PublishTimeoutSeconds"] = "3",
            // The FHIR validator is built by the first FHIR test's request instead of in the background after start:
            // its 6 s of CPU, while test projects run side by side, made the first confirms miss the 3 s above.
            ["Ingestion__WarmUpFhirValidation"] = "false",
            ["Ingestion__Mllp__Port"] = MllpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ingestion__Mllp__Address"] = "127.0.0.1",
            ["Ingestion__Mllp__AssigningAuthority"] = AssigningAuthority,
            ["Ingestion__Mllp__FrameTimeoutSeconds"] = FrameTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ingestion__Mllp__MaxMessageBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in ExtraSettings())
        {
            settings[key] = value;
        }

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key.Replace("__", ":", StringComparison.Ordinal), value);
            }
        });
        _ = _factory.Server; // start now, not at the first request
        using var probe = _factory.CreateClient();
        await Eventually.That(async () => (await probe.GetAsync("health/ready")).StatusCode, status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "Ingestion to be ready");
    }
}
