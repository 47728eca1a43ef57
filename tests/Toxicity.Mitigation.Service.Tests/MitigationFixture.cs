using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Mitigation.Service.Tests;

/// <summary>
/// The Mitigation service in process (WebApplicationFactory) on a real broker in a virtual host of its own, with a
/// clinician, an auditor and a ward key, a publisher of events and a probe on the MitigationAdvised exchange.
/// The host can be restarted: a new host rebuilds everything from the event log.
/// </summary>
public sealed class MitigationFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public RabbitMqBroker Broker { get; private set; } = null!;

    public ApiKey Clinician { get; } = new("test-clinician", "clinician");

    public ApiKey Auditor { get; } = new("test-auditor", "auditor");

    public ApiKey Ward { get; } = new("test-ward", "ward-system");

    internal WardEvents Events { get; private set; } = null!;

    internal EventProbe Probe { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await RabbitMqBroker.StartAsync();
        Events = await WardEvents.ConnectAsync(Broker.AmqpUri);
        Probe = await EventProbe.StartAsync(Broker.AmqpUri, [$"{typeof(MitigationAdvised).Namespace}:{nameof(MitigationAdvised)}"]);
        Start();
    }

    /// <summary>A client of the running host with <paramref name="key"/> (none: anonymous).</summary>
    public HttpClient Client(ApiKey? key)
    {
        var client = _factory!.CreateClient();
        key?.Authorize(client);
        return client;
    }

    /// <summary>Stops the host and starts a new one on the same broker: its state comes back from the event log alone.</summary>
    public async Task RestartAsync()
    {
        await _factory!.DisposeAsync();
        Start();
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await Probe.DisposeAsync();
        await Events.DisposeAsync();
        await Broker.DisposeAsync();
    }

    private void Start()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:rabbitmq", Broker.AmqpUri.ToString()).UseEnvironment("Testing");
            // The clock's reviews are tested with Mitigation as a process (AdviceBeforeTheDoseTests); here it ticks at start only.
            host.UseSetting("Mitigation:ClockInterval", "01:00:00");
            foreach (var (key, index) in new[] { Clinician, Auditor, Ward }.Select((k, i) => (k, i)))
            {
                foreach (var (name, value) in key.Settings(index))
                {
                    host.UseSetting(name.Replace("__", ":", StringComparison.Ordinal), value);
                }
            }
        });
        _ = _factory.Server; // starts the host
    }
}
