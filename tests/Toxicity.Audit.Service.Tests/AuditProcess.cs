using Toxicity.Testing;
using Xunit;

namespace Toxicity.Audit.Service.Tests;

/// <summary>What every Audit test starts from: a real broker, a raw publisher of signed events, Audit as a process with an auditor's key.</summary>
public abstract class AuditProcess : IAsyncLifetime
{
    protected ApiKey Auditor { get; } = new("quality-auditor", "auditor");

    protected RabbitMqBroker Broker { get; private set; } = null!;

    protected WardEvents Events { get; private set; } = null!;

    protected ServiceProcess Audit { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await RabbitMqBroker.StartAsync();
        Events = await WardEvents.ConnectAsync(Broker.AmqpUri);
        Audit = new ServiceProcess("Audit", Broker.AmqpUri, new Dictionary<string, string>(Auditor.Settings(0).Concat(Settings())));
        await Audit.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Audit.DisposeAsync();
        await Events.DisposeAsync();
        await Broker.DisposeAsync();
    }

    /// <summary>Settings of the Audit process beside the auditor's key.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings() => [];
}
