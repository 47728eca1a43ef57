using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Grading.Service.Tests;

/// <summary>The Grading service in process (WebApplicationFactory), on a real broker in a virtual host of its own.</summary>
public sealed class GradingServiceFixture : IAsyncLifetime
{
    private RabbitMqBroker _broker = null!;
    private WebApplicationFactory<Program> _factory = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
            host.UseSetting("ConnectionStrings:rabbitmq", _broker.AmqpUri.ToString()).UseEnvironment("Testing"));
        Client = _factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        await _broker.DisposeAsync();
    }
}
