using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service;

/// <summary>
/// Browser sessions beside the API keys, for a page served by the service itself (the Alerting ward board): a browser's
/// <c>EventSource</c> cannot send a header, so a person signs in once and the browser sends an HTTP-only session cookie.
/// One policy scheme is the default: a request with <c>X-Api-Key</c> is authenticated by the key (and the cookie is
/// ignored), one with a bearer token by the hospital's identity provider (<see cref="OidcOptions"/>); any other by the cookie. Unauthenticated requests get 401 and the wrong role 403, never a redirect.
/// A request authenticated by the cookie must carry the antiforgery token in <see cref="CsrfHeader"/> to change
/// anything (<see cref="RequireCsrfForSessions"/>); one authenticated by a key needs none, since a browser never sends a key on its own.
/// </summary>
public static class SessionAuthentication
{
    /// <summary>The cookie scheme.</summary>
    public const string SchemeName = "Session";

    /// <summary>The default scheme, which forwards to the API-key scheme (<see cref="ApiKeyScheme"/>) or to <see cref="SchemeName"/>.</summary>
    public const string KeyOrSessionScheme = "ApiKeyOrSession";

    /// <summary>The request header that carries the antiforgery request token.</summary>
    public const string CsrfHeader = "X-CSRF-TOKEN";

    /// <summary>
    /// A session lasts a ward shift, renewed while in use (an operational default for the site to set, not a security
    /// rule). The cookie itself is a browser-session cookie: closing the browser ends the session on a shared ward computer.
    /// </summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    /// <summary>
    /// Adds the cookie scheme (cookie <paramref name="cookieName"/>: <c>__Host-</c> prefixed, Secure, HttpOnly,
    /// SameSite=Strict, path /), antiforgery (cookie <paramref name="cookieName"/><c>-csrf</c> without the prefix, header
    /// <see cref="CsrfHeader"/>) and makes <see cref="KeyOrSessionScheme"/> the default. A session whose key has
    /// since been removed, or has lost <paramref name="sessionRole"/>, is rejected at its next request.
    /// Call after <c>AddToxicityDefaults</c>.
    /// </summary>
    public static WebApplicationBuilder AddSessionAuthentication(this WebApplicationBuilder builder, string cookieName, string sessionRole)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = KeyOrSessionScheme;
                o.DefaultChallengeScheme = KeyOrSessionScheme;
                o.DefaultForbidScheme = KeyOrSessionScheme;
            })
            .AddPolicyScheme(KeyOrSessionScheme, "API key, bearer token or session cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyScheme.Header) ? ApiKeyScheme.Name
                : OidcAuthentication.IsBearerRequest(context) ? OidcAuthentication.BearerScheme
                : SchemeName)
            .AddCookie(SchemeName, o =>
            {
                o.Cookie.Name = cookieName;
                o.Cookie.HttpOnly = true;
                // Chromium and Firefox treat http://127.0.0.1 and localhost as secure contexts and keep Secure cookies
                // there, so Secure holds in tests on loopback as in production over HTTPS.
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.Path = "/";
                o.ExpireTimeSpan = SessionLifetime;
                o.SlidingExpiration = true;
                o.Events = new CookieAuthenticationEvents
                {
                    // An API answers with a status, never with a redirect to a sign-in page.
                    OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden),
                    OnValidatePrincipal = async context =>
                    {
                        // A key's session ends when the key is removed or loses the role; the IdP's (BoardOidc) lasts its lifetime.
                        var validator = context.HttpContext.RequestServices.GetRequiredService<ApiKeyValidator>();
                        var byIdentityProvider = context.Principal?.HasClaim(BoardOidc.SignedInBy, BoardOidc.IdentityProvider) == true
                            && context.Principal.IsInRole(sessionRole);
                        if (!byIdentityProvider && !validator.Grants(context.Principal?.Identity?.Name, sessionRole))
                        {
                            context.RejectPrincipal();
                            await context.HttpContext.SignOutAsync(SchemeName);
                        }
                    },
                };
            });
        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = CsrfHeader;
            // Antiforgery refuses to issue a Secure-only cookie on a plain-HTTP request (loopback in tests and the demo), so
            // its cookie follows the request and cannot take the __Host- prefix. It is no credential on its own: a
            // request needs the matching token, bound to the signed-in user, in the header too. Production runs HTTPS.
            o.Cookie.Name = $"{cookieName.Replace("__Host-", string.Empty, StringComparison.Ordinal)}-csrf";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = "/";
        });
        return builder;
    }

    /// <summary>
    /// Refuses (400 problem details) a request authenticated by the session cookie, or by nothing, unless it carries a
    /// valid antiforgery token in <see cref="CsrfHeader"/>; a request with <c>X-Api-Key</c> passes (authorization
    /// already checked the key).
    /// </summary>
    public static TBuilder RequireCsrfForSessions<TBuilder>(this TBuilder endpoint)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter(async (context, next) =>
            await IsCsrfSafeAsync(context.HttpContext) ? await next(context) : CsrfProblem());

    /// <summary>Signs <paramref name="identity"/>'s claims in as a session (the cookie goes out with the response).</summary>
    public static Task SignInSessionAsync(this HttpContext context, ClaimsIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var session = new ClaimsIdentity(identity.Claims, SchemeName);
        return context.SignInAsync(SchemeName, new ClaimsPrincipal(session), new AuthenticationProperties { IsPersistent = false });
    }

    /// <summary>Ends the session: the cookie is deleted.</summary>
    public static Task SignOutSessionAsync(this HttpContext context) => context.SignOutAsync(SchemeName);

    private static async Task<bool> IsCsrfSafeAsync(HttpContext context) =>
        context.Request.Headers.ContainsKey(ApiKeyScheme.Header)
        || await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);

    private static IResult CsrfProblem() => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid CSRF token",
        detail: $"A request signed in by the session cookie must send the token from the session endpoint in the {CsrfHeader} header.");

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
