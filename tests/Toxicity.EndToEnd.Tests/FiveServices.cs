using Toxicity.Testing;
using Xunit;

namespace Toxicity.EndToEnd.Tests;

/// <summary>
/// The five services as processes on one broker, each knowing the same three keys (one per role) and trusting one
/// OpenID Connect provider's tokens, started once for the tests that ask every endpoint something: the role matrix
/// and the hostile input.
/// </summary>
public sealed class FiveServices : IAsyncLifetime
{
    /// <summary>The audience every service is configured to take tokens for.</summary>
    public const string Audience = "toxicity-api";

    private RabbitMqBroker _broker = null!;
    private BoardSession? _board;

    public OidcProvider Oidc { get; private set; } = null!;

    public static ApiKey WardSystem { get; } = new("matrix-ward", "ward-system");

    public static ApiKey Clinician { get; } = new("matrix-clinician", "clinician");

    public static ApiKey Auditor { get; } = new("matrix-auditor", "auditor");

    public static IReadOnlyList<ApiKey> Keys { get; } = [WardSystem, Clinician, Auditor];

    public Dictionary<string, ServiceProcess> Of { get; } = new(StringComparer.Ordinal);

    public RabbitMqBroker Broker => _broker;

    /// <summary>Ingestion's HL7 v2 MLLP port.</summary>
    public int MllpPort { get; } = FreePort.Next();

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        Oidc = await OidcProvider.StartAsync();
        var settings = Keys.SelectMany((key, i) => key.Settings(i)).ToDictionary(s => s.Key, s => s.Value);
        settings["Auth__Oidc__Authority"] = Oidc.Issuer.ToString();
        settings["Auth__Oidc__Audience"] = Audience;
        settings["Auth__Oidc__RequireHttpsMetadata"] = "false"; // the test IdP speaks plain HTTP on loopback
        foreach (var service in new[] { "Ingestion", "Grading", "Mitigation", "Alerting", "Audit" })
        {
            Of[service] = new ServiceProcess(service, _broker.AmqpUri, new Dictionary<string, string>(settings)
            {
                ["Ingestion__WarmUpFhirValidation"] = "false",
                ["Ingestion__DatabasePath"] = Path.Combine(Path.GetTempPath(), $"matrix-ingestion-{Guid.NewGuid():N}.db"),
                ["Ingestion__Mllp__Port"] = MllpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Ingestion__Mllp__Address"] = "127.0.0.1",
            });
        }

        await Task.WhenAll(Of.Values.Select(s => s.StartAsync()));
    }

    /// <summary>
    /// The ward board's session on Alerting, signed in once with the clinician's key (sign-in is rate limited per
    /// address, as it should be) and kept for every test that needs its cookie.
    /// </summary>
    public async Task<BoardSession> BoardSessionAsync()
    {
        if (_board is null)
        {
            var board = new BoardSession(Of["Alerting"].BaseAddress);
            using (var signedIn = await board.SignInAsync(Clinician.Key))
            {
                signedIn.EnsureSuccessStatusCode();
            }

            await board.RefreshAsync(); // the antiforgery token is bound to the signed-in user
            _board = board;
        }

        return _board;
    }

    public async Task DisposeAsync()
    {
        _board?.Dispose();
        await Task.WhenAll(Of.Values.Select(s => s.DisposeAsync().AsTask()));
        await Oidc.DisposeAsync();
        await _broker.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class FiveServicesCollection : ICollectionFixture<FiveServices>
{
    public const string Name = "five services, three keys";
}
