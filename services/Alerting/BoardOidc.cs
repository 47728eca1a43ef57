using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service;

/// <summary>
/// The ward board's client at the hospital's identity provider (section <c>Auth:Oidc:Board</c>, beside
/// <see cref="OidcOptions"/>): its client id and, for a confidential client, its secret.
/// </summary>
public sealed class BoardOidcOptions
{
    public const string Section = "Auth:Oidc:Board";

    public string? ClientId { get; set; }

    /// <summary>None for a public client (PKCE alone); set for a confidential one.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for beside <c>openid</c> (e.g. <c>profile roles</c>: whatever puts the role claim into the ID token).</summary>
    public string Scopes { get; set; } = "profile";
}

/// <summary>
/// Sign-in on the ward board with the hospital's identity provider: OpenID Connect authorization code flow with PKCE
/// (S256), done by the service (the board's page never sees a token). The ID token's name and roles become the
/// board's session cookie, as a key's do; only a person with the clinician role gets one. Configured when
/// <c>Auth:Oidc:Authority</c> and <c>Auth:Oidc:Board:ClientId</c> are set; the key sign-in stays for sites without an IdP.
/// </summary>
public static class BoardOidc
{
    public const string SchemeName = "BoardOidc";

    /// <summary>The claim that marks a session signed in by the IdP (its roles came from the ID token, not from a key).</summary>
    public const string SignedInBy = "toxicity:signed-in-by";
    public const string IdentityProvider = "identity-provider";

    public const string CallbackPath = "/board/signin-oidc";

    public static bool Enabled(IConfiguration configuration) =>
        Enabled(configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions(),
            configuration.GetSection(BoardOidcOptions.Section).Get<BoardOidcOptions>() ?? new BoardOidcOptions());

    /// <summary>Whether the board signs people in with the IdP: an authority and the board's client id are set.</summary>
    public static bool Enabled(OidcOptions idp, BoardOidcOptions board)
    {
        ArgumentNullException.ThrowIfNull(idp);
        ArgumentNullException.ThrowIfNull(board);
        return idp.Enabled && !string.IsNullOrWhiteSpace(board.ClientId);
    }

    public static WebApplicationBuilder AddBoardOidc(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BoardOidcOptions>().BindConfiguration(BoardOidcOptions.Section);
        if (!Enabled(builder.Configuration))
        {
            return builder;
        }

        var idp = builder.Configuration.GetSection(OidcOptions.Section).Get<OidcOptions>()!;
        var board = builder.Configuration.GetSection(BoardOidcOptions.Section).Get<BoardOidcOptions>()!;
        builder.Services.AddAuthentication().AddOpenIdConnect(SchemeName, oidc =>
        {
            oidc.Authority = idp.Authority;
            oidc.RequireHttpsMetadata = idp.RequireHttpsMetadata;
            oidc.ClientId = board.ClientId;
            oidc.ClientSecret = board.ClientSecret;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            oidc.UsePkce = true;
            oidc.CallbackPath = CallbackPath;
            oidc.SignInScheme = SessionAuthentication.SchemeName;
            oidc.MapInboundClaims = false;
            oidc.SaveTokens = false;
            oidc.Scope.Clear();
            oidc.Scope.Add(OpenIdConnectScope.OpenId);
            foreach (var scope in board.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                oidc.Scope.Add(scope);
            }

            oidc.TokenValidationParameters.NameClaimType = idp.NameClaim;
            oidc.TokenValidationParameters.RoleClaimType = idp.RoleClaim;
            oidc.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(idp.ClockSkewSeconds);
            oidc.Events = new OpenIdConnectEvents
            {
                OnTokenValidated = context => SessionFromIdToken(context, idp),
                // A refused or failed sign-in returns to the board with a reason it can show, never an error page.
                OnRemoteFailure = context =>
                {
                    context.Response.Redirect("/board/?signin=refused");
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
            };
        });
        return builder;
    }

    /// <summary><c>GET /board/oidc/sign-in?ward=…</c>: off to the IdP, back to the board of that ward.</summary>
    public static WebApplication MapBoardOidc(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Enabled(app.Configuration))
        {
            app.MapGet("/board/oidc/sign-in", (string? ward) => Results.Challenge(
                new AuthenticationProperties { RedirectUri = ward is { Length: > 0 } w ? $"/board/?ward={Uri.EscapeDataString(w)}" : "/board/" },
                [SchemeName]));
        }

        return app;
    }

    // Only clinicians get a board session; the session keeps the name, the clinician role and how it was signed in.
    private static Task SessionFromIdToken(TokenValidatedContext context, OidcOptions idp)
    {
        var principal = context.Principal;
        var name = principal?.FindFirst(idp.NameClaim)?.Value ?? principal?.FindFirst("sub")?.Value;
        if (principal is null || name is null || !principal.FindAll(idp.RoleClaim).Any(c => c.Value == Roles.Clinician))
        {
            context.Fail("not a clinician");
            return Task.CompletedTask;
        }

        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, Roles.Clinician), new Claim(SignedInBy, IdentityProvider)],
            SessionAuthentication.SchemeName));
        return Task.CompletedTask;
    }
}
