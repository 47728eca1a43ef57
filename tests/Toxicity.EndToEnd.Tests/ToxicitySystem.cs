using Toxicity.Testing;
using Xunit;

namespace Toxicity.EndToEnd.Tests;

/// <summary>
/// The whole system as it runs in production: a real RabbitMQ broker and the five services, each its own
/// process. Started once for the collection; tests keep apart by using patient ids of their own.
/// </summary>
public sealed class ToxicitySystem : IAsyncLifetime
{
    private readonly List<ServiceProcess> _services = [];

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"toxicity-e2e-{Guid.NewGuid():N}");

    public RabbitMqBroker Broker { get; private set; } = null!;

    /// <summary>The ward system's key: role <c>ward-system</c>, accepted by Ingestion.</summary>
    public ApiKey WardKey { get; } = new("e2e-ward", "ward-system");

    /// <summary>A clinician's key: role <c>clinician</c>, accepted by Grading and Alerting (the alert stream and list).</summary>
    public ApiKey ClinicianKey { get; } = new("e2e-clinician", "clinician");

    public ServiceProcess Ingestion { get; private set; } = null!;

    /// <summary>Ingestion's HL7 v2 MLLP port (assigning authority: the default, TOXICITY).</summary>
    public int MllpPort { get; } = FreePort.Next();

    public ServiceProcess Grading { get; private set; } = null!;

    public ServiceProcess Mitigation { get; private set; } = null!;

    public ServiceProcess Alerting { get; private set; } = null!;

    public ServiceProcess Audit { get; private set; } = null!;

    public IReadOnlyList<ServiceProcess> Services => _services;

    public async Task InitializeAsync()
    {
        Broker = await RabbitMqBroker.StartAsync();
        Ingestion = Add("Ingestion", new Dictionary<string, string>(WardKey.Settings(0))
        {
            ["Ingestion__DatabasePath"] = Path.Combine(_dataDirectory, "ingestion.db"),
            ["Ingestion__Mllp__Port"] = MllpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ingestion__Mllp__Address"] = "127.0.0.1",
            ["Ingestion__WarmUpFhirValidation"] = "false", // built by the one FHIR test's request, not beside every other test's start
        });
        Grading = Add("Grading", ClinicianKey.Settings(0));
        Mitigation = Add("Mitigation");
        Alerting = Add("Alerting", ClinicianKey.Settings(0));
        Audit = Add("Audit", Ward.Auditor.Settings(0));
        await Task.WhenAll(_services.Select(s => s.StartAsync()));
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_services.Select(s => s.DisposeAsync().AsTask()));
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>What every service wrote last, for a failure message.</summary>
    public string Diagnostics() => string.Join("\n\n", _services.Select(s => $"== {s.Service} ==\n{s.Output}"));

    private ServiceProcess Add(string service, IReadOnlyDictionary<string, string>? settings = null)
    {
        var process = new ServiceProcess(service, Broker.AmqpUri, settings);
        _services.Add(process);
        return process;
    }
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<ToxicitySystem>
{
    public const string Name = "the whole system";
}
