using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Toxicity.Hosting;

/// <summary>
/// Sign-in with the hospital's identity provider (section <c>Auth:Oidc</c>; README "Hospital sign-in"): bearer tokens
/// (JWT) issued by <see cref="Authority"/> for <see cref="Audience"/>, their signing keys read from the issuer's
/// discovery document and JWKS (read again when a token names a key not yet known: keys rotate). No authority, no
/// bearer tokens: API keys only.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "Auth:Oidc";

    /// <summary>The issuer (e.g. https://login.hospital.example/realms/clinical), whose /.well-known/openid-configuration is read.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience a token must be for (the <c>aud</c> the IdP gives Toxicity's APIs).</summary>
    public string? Audience { get; set; }

    /// <summary>The claim that carries roles (<c>roles</c>; Keycloak maps realm roles there, Entra ID app roles too).</summary>
    [Required(AllowEmptyStrings = false)]
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim that names the person (recorded as who acknowledged an alert, never a patient).</summary>
    [Required(AllowEmptyStrings = false)]
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>Metadata only over HTTPS; only a test or a loopback IdP turns this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How far a token's validity may be off the clock.</summary>
    [Range(0, 300)]
    public int ClockSkewSeconds { get; set; } = 60;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}

/// <summary>The scheme that picks bearer tokens or API keys per request, and the bearer scheme itself.</summary>
public static class OidcAuthentication
{
    public const string BearerScheme = JwtBearerDefaults.AuthenticationScheme;
    public const string SelectingScheme = "ApiKeyOrBearer";

    /// <summary>Roles a person's token may carry: clinicians and auditors. Systems (ward-system) keep API keys.</summary>
    public static readonly string[] PersonRoles = [Roles.Clinician, Roles.Auditor];

    /// <summary>
    /// Adds the bearer scheme when <c>Auth:Oidc:Authority</c> is set, and makes the default scheme choose it for a
    /// request with <c>Authorization: Bearer …</c>, the API key scheme otherwise.
    /// </summary>
    public static AuthenticationBuilder AddOidcBearer(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        var options = configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions();
        authentication.Services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.Section).ValidateDataAnnotations()
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.Audience), $"{OidcOptions.Section}:Audience is required with an Authority")
            .ValidateOnStart();
        if (!options.Enabled)
        {
            return authentication;
        }

        authentication.AddJwtBearer(BearerScheme, bearer =>
        {
            bearer.Authority = options.Authority;
            bearer.Audience = options.Audience;
            bearer.RequireHttpsMetadata = options.RequireHttpsMetadata;
            bearer.MapInboundClaims = false;
            bearer.RefreshOnIssuerKeyNotFound = true;
            bearer.TokenValidationParameters.RoleClaimType = options.RoleClaim;
            bearer.TokenValidationParameters.NameClaimType = options.NameClaim;
            bearer.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(options.ClockSkewSeconds);
            bearer.Events = new JwtBearerEvents { OnTokenValidated = context => KeepPersonRoles(context, options.RoleClaim) };
        });
        // A key the IdP has taken out of its JWKS is refused as soon as the JWKS is read again: IdentityModel would
        // otherwise keep accepting it for an hour from its "last known good" configuration.
        authentication.Services.PostConfigure<JwtBearerOptions>(BearerScheme, bearer =>
        {
            if (bearer.ConfigurationManager is BaseConfigurationManager manager)
            {
                manager.UseLastKnownGoodConfiguration = false;
            }
        });
        authentication.AddPolicyScheme(SelectingScheme, "API key or bearer token", select => select.ForwardDefaultSelector = context =>
            IsBearerRequest(context) ? BearerScheme : ApiKeyScheme.Name);
        authentication.Services.Configure<AuthenticationOptions>(o => o.DefaultScheme = SelectingScheme);
        return authentication;
    }

    /// <summary>Whether <paramref name="context"/> carries <c>Authorization: Bearer …</c> and bearer tokens are configured here.</summary>
    public static bool IsBearerRequest(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && context.RequestServices.GetRequiredService<IOptions<OidcOptions>>().Value.Enabled;
    }

    // A token's roles become ours only for clinicians and auditors; anything else it carries is not a role here.
    private static Task KeepPersonRoles(TokenValidatedContext context, string roleClaim)
    {
        if (context.Principal?.Identity is ClaimsIdentity identity)
        {
            foreach (var claim in identity.FindAll(roleClaim).Where(c => !PersonRoles.Contains(c.Value, StringComparer.Ordinal)).ToList())
            {
                identity.RemoveClaim(claim);
            }
        }

        return Task.CompletedTask;
    }
}
