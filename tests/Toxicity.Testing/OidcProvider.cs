using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Toxicity.Testing;

/// <summary>
/// A real OpenID Connect provider for the tests: an OpenIddict server on 127.0.0.1 (Kestrel, real HTTP) with its
/// discovery document, its JWKS and a token endpoint. A test asks it for an access token (JWT, signed with the
/// provider's current RSA key) for any audience, roles and lifetime, as a hospital's IdP would issue for a person;
/// <see cref="RotateKeyAsync"/> replaces the signing key, as an IdP rolls its keys. A browser can also sign in through
/// its authorization endpoint (code flow, PKCE required, public client <see cref="BoardClientId"/>), as the person
/// <see cref="SignInAs"/> names, approved at once (no login page).
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "toxicity-tests";
    public const string BoardClientId = "toxicity-board";
    public const string RoleClaim = "roles";
    private const string ClientSecret = "a secret for the tests only";

    private readonly int _port = FreePort.Next();
    private RSA _key = RSA.Create(2048);
    private WebApplication? _app;

    private OidcProvider()
    {
    }

    /// <summary>The issuer (also the authority a service is configured with).</summary>
    public Uri Issuer => new($"http://127.0.0.1:{_port}/");

    public string KeyId { get; private set; } = NewKeyId();

    /// <summary>Who signs in at the authorization endpoint next, with which roles.</summary>
    public (string User, string[] Roles) SignInAs { get; set; } = ("dr-ada", ["clinician"]);

    public static async Task<OidcProvider> StartAsync()
    {
        var provider = new OidcProvider();
        await provider.StartAppAsync();
        return provider;
    }

    /// <summary>A new signing key; the old one is gone from the JWKS (the provider restarts on the same port).</summary>
    public async Task RotateKeyAsync()
    {
        await StopAppAsync();
        _key.Dispose();
        _key = RSA.Create(2048);
        KeyId = NewKeyId();
        await StartAppAsync();
    }

    /// <summary>An access token for <paramref name="user"/> with <paramref name="roles"/>, for <paramref name="audience"/>, valid for <paramref name="lifetime"/>.</summary>
    public async Task<string> TokenAsync(string audience, TimeSpan lifetime, string user, params string[] roles)
    {
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.ClientCredentials,
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["test_user"] = user,
            ["test_audience"] = audience,
            ["test_roles"] = string.Join(' ', roles),
            ["test_lifetime"] = ((int)lifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var response = await http.PostAsync(new Uri(Issuer, "connect/token"), form);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"the OIDC provider answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        _key.Dispose();
    }

    /// <summary>A person as the IdP signs them in: subject and preferred_username <paramref name="user"/>, a <see cref="RoleClaim"/> per role.</summary>
    private static ClaimsPrincipal Person(string user, IEnumerable<string> roles)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.PreferredUsername, RoleClaim);
        identity.SetClaim(Claims.Subject, user).SetClaim(Claims.PreferredUsername, user);
        foreach (var role in roles)
        {
            identity.AddClaim(new Claim(RoleClaim, role));
        }

        return new ClaimsPrincipal(identity);
    }

    private static string NewKeyId() => Guid.NewGuid().ToString("N")[..16];

    private async Task StartAppAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port));
        builder.Logging.ClearProviders();
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(Issuer);
            server.SetTokenEndpointUris("connect/token");
            server.SetAuthorizationEndpointUris("connect/authorize");
            server.AllowClientCredentialsFlow();
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes(Scopes.Profile);
            server.AddSigningKey(new RsaSecurityKey(_key) { KeyId = KeyId });
            server.AddEphemeralEncryptionKey();
            server.DisableAccessTokenEncryption();

            // No database: the one client and the tokens' claims are decided by the handlers below.
            server.EnableDegradedMode();
            server.UseAspNetCore().DisableTransportSecurityRequirement();
            server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != BoardClientId || context.RedirectUri is not { } redirect
                    || !Uri.TryCreate(redirect, UriKind.Absolute, out var uri) || !uri.IsLoopback || uri.AbsolutePath != "/board/signin-oidc")
                {
                    context.Reject(Errors.InvalidClient, "unknown client or redirect_uri");
                }

                return default;
            }));
            server.AddEventHandler<HandleAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var (user, roles) = SignInAs;
                var principal = Person(user, roles);
                principal.SetScopes(context.Request.GetScopes());
                principal.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
                context.SignIn(principal);
                return default;
            }));
            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var board = context.Request.IsAuthorizationCodeGrantType() && context.ClientId == BoardClientId;
                if (!board && (context.ClientId != ClientId || context.Request.ClientSecret != ClientSecret))
                {
                    context.Reject(Errors.InvalidClient, "unknown client");
                }

                return default;
            }));
            server.AddEventHandler<HandleTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.Request.IsAuthorizationCodeGrantType())
                {
                    context.SignIn(context.Principal!); // what the authorization endpoint signed in, PKCE checked by OpenIddict
                    return default;
                }

                var user = (string?)context.Request["test_user"] ?? "someone";
                var principal = Person(user, ((string?)context.Request["test_roles"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries));
                principal.SetAudiences((string?)context.Request["test_audience"] ?? "toxicity");
                principal.SetAccessTokenLifetime(TimeSpan.FromSeconds(int.Parse((string?)context.Request["test_lifetime"] ?? "300", System.Globalization.CultureInfo.InvariantCulture)));
                principal.SetDestinations(_ => [Destinations.AccessToken]);
                context.SignIn(principal);
                return default;
            }));
        });
        _app = builder.Build();
        await _app.StartAsync();
    }

    private async Task StopAppAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
