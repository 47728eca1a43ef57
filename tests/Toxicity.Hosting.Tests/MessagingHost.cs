using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toxicity.Hosting.Tests;

/// <summary>
/// A service's messaging exactly as <see cref="MessagingExtensions.AddToxicityMessaging"/> sets it up, in this process,
/// on the test's broker: what a service does, without the service. Started only when its bus is connected.
/// </summary>
internal sealed class MessagingHost : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly WebApplication _app;
    private bool _stopped;

    private MessagingHost(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public IBus Bus => _app.Services.GetRequiredService<IBus>();

    public static async Task<MessagingHost> StartAsync(
        Uri broker,
        string serviceName,
        Action<IBusRegistrationConfigurator> configure,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? endpoints = null,
        Action<WebApplicationBuilder>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.ToString(),
            ["OTEL_SERVICE_NAME"] = serviceName,
            ["Messaging:StartupTimeoutSeconds"] = "30",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddToxicityMessaging(configure, endpoints);
        // Publishing before the endpoints' queues and bindings exist would lose the test's first events.
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        services?.Invoke(builder);
        var app = builder.Build();
        using var timeout = new CancellationTokenSource(Deadline);
        await app.StartAsync(timeout.Token);
        return new MessagingHost(app);
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(Deadline);
        await _app.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        // Bounded, so that a stuck disposal fails the test instead of hanging the run.
        await _app.DisposeAsync().AsTask().WaitAsync(Deadline);
    }
}
