using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Grading.Service.Tests;

/// <summary>
/// The Grading service in process (WebApplicationFactory) on a real broker in a virtual host of its own, with a
/// clinician, an auditor and a ward key, a publisher of ward events and a probe on the grade-change exchanges; and
/// bearer tokens from a real OIDC provider (<see cref="Oidc"/>, audience <see cref="Audience"/>) beside the keys.
/// </summary>
public sealed class GradingFixture : IAsyncLifetime
{
    private RabbitMqBroker _broker = null!;
    private WebApplicationFactory<Program> _factory = null!;

    public const string Audience = "toxicity-api";

    public ApiKey Clinician { get; } = new("test-clinician", "clinician");

    /// <summary>The hospital's identity provider, as far as Grading knows it.</summary>
    public OidcProvider Oidc { get; private set; } = null!;

    public ApiKey Auditor { get; } = new("test-auditor", "auditor");

    public ApiKey Ward { get; } = new("test-ward", "ward-system");

    /// <summary>Authorized as a clinician.</summary>
    public HttpClient Client { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    internal WardEvents Events { get; private set; } = null!;

    internal GradeWatch Watch { get; private set; } = null!;

    private EventProbe _probe = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        Oidc = await OidcProvider.StartAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:rabbitmq", _broker.AmqpUri.ToString()).UseEnvironment("Testing");
            host.UseSetting("Auth:Oidc:Authority", Oidc.Issuer.ToString());
            host.UseSetting("Auth:Oidc:Audience", Audience);
            host.UseSetting("Auth:Oidc:RequireHttpsMetadata", "false"); // the test IdP speaks plain HTTP on loopback
            host.UseSetting("Auth:Oidc:ClockSkewSeconds", "0");
            foreach (var (key, index) in new[] { Clinician, Auditor, Ward }.Select((k, i) => (k, i)))
            {
                foreach (var (name, value) in key.Settings(index))
                {
                    host.UseSetting(name.Replace("__", ":", StringComparison.Ordinal), value);
                }
            }
        });
        Client = _factory.CreateClient();
        Clinician.Authorize(Client);
        // Ready: the partition queues are bound, the log is read up to start-up and the rule set's cut-over is in it.
        // Before that, a test's events could reach the log but not the partitions, or be graded as recorded before the cut-over.
        await Eventually.That(
            async () => (await Client.GetAsync("health/ready")).StatusCode,
            status => status == System.Net.HttpStatusCode.OK,
            TimeSpan.FromSeconds(60),
            "Grading to be ready");
        Anonymous = _factory.CreateClient();
        Events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _probe = await GradeWatch.ProbeAsync(_broker.AmqpUri);
        Watch = new GradeWatch(_probe, Events);
    }

    /// <summary>A client that sends <paramref name="token"/> as <c>Authorization: Bearer</c>.</summary>
    public HttpClient ClientWithToken(string token)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient ClientFor(ApiKey key)
    {
        var client = _factory.CreateClient();
        key.Authorize(client);
        return client;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await _probe.DisposeAsync();
        await Events.DisposeAsync();
        await _factory.DisposeAsync();
        await Oidc.DisposeAsync();
        await _broker.DisposeAsync();
    }
}
