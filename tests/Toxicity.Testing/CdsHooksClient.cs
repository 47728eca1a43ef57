using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Toxicity.Testing;

/// <summary>
/// An EHR as a CDS Hooks client (CDS Hooks 2.0 "Trusting CDS Clients"): a P-384 key whose public half it serves as a
/// JWK Set over real HTTP (<see cref="JwksUrl"/>), and JWTs it signs with ES384 for each call (<c>iss</c>, <c>sub</c>,
/// <c>aud</c>, <c>exp</c>, <c>iat</c>, <c>jti</c>). <see cref="Rotate"/> replaces the key.
/// </summary>
public sealed class CdsHooksClient : IAsyncDisposable
{
    public const string ClientId = "toxicity-test-ehr";

    private readonly int _port = FreePort.Next();
    private readonly JsonWebTokenHandler _handler = new();
    private ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private string _keyId = Guid.NewGuid().ToString("N")[..12];
    private WebApplication? _app;

    public string Issuer => $"http://127.0.0.1:{_port}/ehr";

    public Uri JwksUrl => new($"http://127.0.0.1:{_port}/ehr/jwks");

    /// <summary>The Audit settings that trust this client.</summary>
    public IReadOnlyDictionary<string, string> Settings(string name = "ehr") => new Dictionary<string, string>
    {
        [$"CdsHooks__Clients__{name}__Issuer"] = Issuer,
        [$"CdsHooks__Clients__{name}__JwksUrl"] = JwksUrl.ToString(),
        [$"CdsHooks__Clients__{name}__ClientId"] = ClientId,
    };

    public static async Task<CdsHooksClient> StartAsync()
    {
        var client = new CdsHooksClient();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, client._port));
        builder.Logging.ClearProviders();
        client._app = builder.Build();
        client._app.MapGet("/ehr/jwks", () => Results.Text(client.Jwks(), "application/json"));
        await client._app.StartAsync();
        return client;
    }

    /// <summary>A new key (the old one no longer in the JWK Set).</summary>
    public void Rotate()
    {
        _key.Dispose();
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        _keyId = Guid.NewGuid().ToString("N")[..12];
    }

    /// <summary>A JWT for a call to <paramref name="audience"/>; the arguments change what a test needs wrong.</summary>
    public string Token(string audience, TimeSpan? lifetime = null, string? issuer = null, string? jti = null, ECDsa? signWith = null, DateTimeOffset? issuedAt = null)
    {
        var now = issuedAt ?? DateTimeOffset.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(5));
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = ClientId, ["jti"] = jti ?? Guid.NewGuid().ToString() },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(signWith ?? _key) { KeyId = _keyId }, SecurityAlgorithms.EcdsaSha384),
        });
    }

    private string Jwks()
    {
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(_key) { KeyId = _keyId });
        return JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, use = "sig", alg = "ES384" } },
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _key.Dispose();
    }
}
