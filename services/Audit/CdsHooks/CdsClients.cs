using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Toxicity.Audit.Service.CdsHooks;

/// <summary>
/// <c>CdsHooks</c>: the CDS Hooks service's settings (docs/cds-hooks.md). <see cref="Clients"/> are the EHRs trusted to
/// call it, each by the issuer of its JWTs and the URL of its JWK Set; <see cref="Audience"/> the service's public base
/// URL (<c>…/cds-services</c>) that a JWT's <c>aud</c> names; <see cref="BoardAddress"/> the ward board's base URL, for
/// the card's link to the patient chart.
/// </summary>
public sealed class CdsHooksOptions
{
    public const string Section = "CdsHooks";

    public Dictionary<string, CdsClient> Clients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The public URL of <c>/cds-services</c> as the EHR calls it (behind a proxy it differs from the request's); none: the request's own URL.</summary>
    public Uri? Audience { get; set; }

    /// <summary>The ward board's base URL (Alerting), e.g. <c>https://toxicity.example.org/</c>; none: the card has no link.</summary>
    public Uri? BoardAddress { get; set; }

    /// <summary>The longest a JWT may live (CDS Hooks: "no more than 5 minutes").</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>A trusted EHR: the <c>iss</c> of its JWTs, the JWK Set they are verified with, and optionally the <c>sub</c> (its client id) it must send.</summary>
public sealed class CdsClient
{
    public string Issuer { get; set; } = string.Empty;

    public Uri? JwksUrl { get; set; }

    public string? ClientId { get; set; }
}

/// <summary>
/// Checks the <c>Authorization: Bearer</c> JWT of a CDS Hooks call as the specification says: signed (ES384 or RS384)
/// by a trusted EHR's key from its configured JWK Set (fetched over HTTP, kept 10 minutes, read again for an unknown
/// <c>kid</c> at most once a second), <c>iss</c> a trusted issuer (and <c>sub</c> its client id when configured), <c>aud</c> the endpoint
/// called, <c>exp</c> and <c>iat</c> present and at most <see cref="CdsHooksOptions.MaxTokenLifetime"/> apart, and a
/// <c>jti</c> never seen before (kept until the token expires). A <c>jku</c> header is honoured only when it is the
/// configured JWK Set URL (no key is ever fetched from a URL a caller chose).
/// </summary>
internal sealed partial class CdsClients(IOptions<CdsHooksOptions> options, IHttpClientFactory http, TimeProvider clock, ILogger<CdsClients> logger)
{
    public const string HttpClientName = "cds-hooks-jwks";
    private static readonly string[] Algorithms = [SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.RsaSha384];
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Reread = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new();
    private readonly ConcurrentDictionary<string, (IReadOnlyList<SecurityKey> Keys, DateTimeOffset ReadAt)> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>The trusted issuer who sent <paramref name="authorization"/> for <paramref name="audiences"/>, or why not (never the token itself).</summary>
    public async Task<(string? Issuer, string? Refusal)> CheckAsync(string? authorization, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return (null, "no bearer JWT in the Authorization header");
        }

        var token = authorization["Bearer ".Length..].Trim();
        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return (null, "the bearer token is not a JWT");
        }

        var client = options.Value.Clients.Values.FirstOrDefault(c => c.Issuer.Length > 0 && c.Issuer == jwt.Issuer);
        if (client?.JwksUrl is null)
        {
            return (null, "the JWT's issuer is not a trusted CDS client");
        }

        if (jwt.TryGetHeaderValue<string>("jku", out var jku) && jku != client.JwksUrl.ToString())
        {
            return (null, "the JWT's jku is not the client's configured JWK Set");
        }

        var keys = await KeysAsync(client, jwt.Kid, cancellationToken);
        var now = clock.GetUtcNow();
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = client.Issuer,
            ValidAudiences = audiences,
            IssuerSigningKeys = keys,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = Skew,
            LifetimeValidator = (notBefore, expires, _, _) => expires is { } exp && exp.ToUniversalTime() > now.UtcDateTime - Skew,
        });
        if (!result.IsValid)
        {
            return (null, $"the JWT was refused ({result.Exception?.GetType().Name ?? "invalid"})");
        }

        if (client.ClientId is { Length: > 0 } clientId && jwt.Subject != clientId)
        {
            return (null, "the JWT's sub is not the client's id");
        }

        if (!jwt.TryGetPayloadValue<long>("iat", out _) || jwt.ValidTo - jwt.IssuedAt > options.Value.MaxTokenLifetime + Skew)
        {
            return (null, $"the JWT lives longer than {options.Value.MaxTokenLifetime.TotalMinutes:0} minutes or has no iat");
        }

        if (string.IsNullOrEmpty(jwt.Id) || !Remember(jwt.Id, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) + Skew, now))
        {
            return (null, "the JWT has no jti or was used before");
        }

        return (client.Issuer, null);
    }

    private bool Remember(string jti, DateTimeOffset until, DateTimeOffset now)
    {
        foreach (var (id, expires) in _seen)
        {
            if (expires < now)
            {
                _seen.TryRemove(id, out _);
            }
        }

        return _seen.TryAdd(jti, until);
    }

    private async Task<IReadOnlyList<SecurityKey>> KeysAsync(CdsClient client, string? kid, CancellationToken cancellationToken)
    {
        var url = client.JwksUrl!.ToString();
        var now = clock.GetUtcNow();
        if (_keys.TryGetValue(url, out var known) && now - known.ReadAt < KeptFor && (known.Keys.Any(k => k.KeyId == kid) || now - known.ReadAt < Reread))
        {
            return known.Keys;
        }

        try
        {
            var json = await http.CreateClient(HttpClientName).GetStringAsync(client.JwksUrl, cancellationToken);
            IReadOnlyList<SecurityKey> keys = [.. new JsonWebKeySet(json).GetSigningKeys()];
            _keys[url] = (keys, now);
            return keys;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException or InvalidOperationException)
        {
            LogJwksUnavailable(logger, client.Issuer, e.GetType().Name);
            return known.Keys ?? [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CDS Hooks: the JWK Set of {Issuer} could not be read ({Error})")]
    private static partial void LogJwksUnavailable(ILogger logger, string issuer, string error);
}
