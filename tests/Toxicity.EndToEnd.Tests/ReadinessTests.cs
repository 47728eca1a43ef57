using System.Net;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Toxicity.EndToEnd.Tests;

/// <summary>
/// <c>/health/ready</c> follows the broker connection: a service whose broker goes away is not ready (while still
/// live), and is ready again by itself when the broker is back. The broker is "lost" through a proxy, so the
/// broker other tests share is never touched.
/// </summary>
public sealed class ReadinessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private RabbitMqBroker _broker = null!;
    private TcpProxy _proxy = null!;
    private ServiceProcess _grading = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _proxy = new TcpProxy(_broker.AmqpUri);
        _grading = new ServiceProcess("Grading", _proxy.Through(_broker.AmqpUri));
        await _grading.StartAsync();
    }

    public async Task DisposeAsync()
    {
        output.WriteLine(_grading.Output);
        await _grading.DisposeAsync();
        await _proxy.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task A_service_is_not_ready_while_its_broker_is_unreachable_and_ready_again_when_it_is_back()
    {
        using var http = _grading.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/ready")).StatusCode);

        await _proxy.CutAsync();
        await Eventually.That(() => http.GetAsync("health/ready"), r => r.StatusCode == HttpStatusCode.ServiceUnavailable, Deadline,
            "/health/ready answers 503 while the broker is unreachable");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/live")).StatusCode);

        _proxy.Open();
        await Eventually.That(() => http.GetAsync("health/ready"), r => r.StatusCode == HttpStatusCode.OK, Deadline,
            "/health/ready answers 200 once the broker is back");
    }
}
