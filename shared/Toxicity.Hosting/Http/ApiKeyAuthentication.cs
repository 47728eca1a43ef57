using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Toxicity.Hosting;

/// <summary>
/// One API key: who holds it, the SHA-256 of the key (hex) and the roles it grants. Configured as
/// <c>Auth:ApiKeys:N:Name</c>, <c>…:Sha256</c>, <c>…:Roles:M</c>; the key itself is never stored.
/// </summary>
public sealed class ApiKeyOptions
{
    public string Name { get; set; } = string.Empty;

    public string Sha256 { get; set; } = string.Empty;

    public List<string> Roles { get; set; } = [];
}

/// <summary>The configured API keys (<c>Auth:ApiKeys</c>). None by default: a production site configures its own.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public List<ApiKeyOptions> ApiKeys { get; set; } = [];
}

/// <summary>
/// Checks a presented API key against the configured ones (<see cref="AuthOptions"/>): its SHA-256 is compared, in
/// constant time, with every configured hash (ECOSYSTEM.md "Security"). Used by the <c>X-Api-Key</c> scheme and by
/// any sign-in that takes a key (the Alerting board), so that both accept exactly the same keys. The key is never logged.
/// </summary>
public sealed class ApiKeyValidator(IOptionsMonitor<AuthOptions> keys)
{
    /// <summary>The configured key that <paramref name="presented"/> is, or null for an unknown (or empty) key.</summary>
    public ApiKeyOptions? Find(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        ApiKeyOptions? match = null;
        foreach (var key in keys.CurrentValue.ApiKeys)
        {
            // Every configured key is compared, so the time taken does not tell which one nearly matched.
            if (Convert.FromHexString(key.Sha256, expected, out _, out var written) == System.Buffers.OperationStatus.Done
                && written == expected.Length && CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match = key;
            }
        }

        return match;
    }

    /// <summary>Whether a key named <paramref name="name"/> is still configured with <paramref name="role"/> (a session outlives no revoked key).</summary>
    public bool Grants(string? name, string role) =>
        name is not null && keys.CurrentValue.ApiKeys.Any(k => k.Name == name && k.Roles.Contains(role));

    /// <summary>The claims of <paramref name="key"/>: its name and its roles, for an identity of <paramref name="authenticationType"/>.</summary>
    public static ClaimsIdentity Identity(ApiKeyOptions key, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name), .. key.Roles.Select(role => new Claim(ClaimTypes.Role, role))],
            authenticationType);
    }
}

/// <summary>The API-key authentication scheme's name and header, for services that combine it with another scheme.</summary>
public static class ApiKeyScheme
{
    public const string Name = "ApiKey";
    public const string Header = "X-Api-Key";
}

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header with the <see cref="ApiKeyValidator"/>. No header: no result (401 where
/// a policy needs a user). A wrong key: failure (401).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyValidator validator) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = ApiKeyScheme.Name;
    public const string Header = ApiKeyScheme.Header;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var presented) || presented.Count != 1 || string.IsNullOrEmpty(presented[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (validator.Find(presented[0]) is not { } match)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }

        var principal = new ClaimsPrincipal(ApiKeyValidator.Identity(match, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
