using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service;

/// <summary>
/// The ward board (docs/alerting.md "The ward board"): a static page in <c>wwwroot/board</c> that a clinician signs in
/// to with their personal API key, once; the browser then holds an HTTP-only session cookie, which its
/// <c>EventSource</c> sends with the stream. Every board response carries a strict Content-Security-Policy.
/// </summary>
internal static partial class BoardEndpoints
{
    /// <summary>The session cookie; <c>__Host-</c>: Secure, path /, no domain, so no other host or path can set or read it.</summary>
    public const string CookieName = "__Host-toxicity-board";

    // Scripts, styles and connections from this origin only; no inline script or style, no framing, no plugins.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Sign-in attempts allowed per client address and minute: enough for typing errors, too few to guess keys (an operational default).</summary>
    public const int SignInAttemptsPerMinute = 10;

    private const string SignInLimit = "board-sign-in";
    private static readonly string[] SignInFields = ["key"];

    /// <summary>The limit on sign-in attempts: past it, 429 with <c>Retry-After</c> until the minute is over.</summary>
    public static IServiceCollection AddWardBoardSignInLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };
            limiter.AddPolicy(SignInLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = SignInAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

    /// <summary>The board's security headers on everything under <c>/board</c>, then its static files.</summary>
    public static WebApplication UseWardBoard(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/board"))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
            }

            return next(context);
        });
        // /board redirects to /board/, which serves board/index.html.
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapWardBoard(this WebApplication app)
    {
        // Who is signed in, and a fresh antiforgery token for the page's POSTs (it is bound to the user: fetch it again after signing in or out).
        app.MapGet("/board/session", (IAntiforgery antiforgery, HttpContext context, IOptions<OidcOptions> idp, IOptions<BoardOidcOptions> board) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            var name = context.User.Identity is { IsAuthenticated: true } identity && context.User.IsInRole(Roles.Clinician) ? identity.Name : null;
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(new BoardSession(name is not null, name, tokens.RequestToken, BoardOidc.Enabled(idp.Value, board.Value)));
        });

        // Sign-in with the hospital's identity provider, where one is configured (authorization code + PKCE).
        app.MapBoardOidc();

        // The clinician's personal API key, checked exactly as the X-Api-Key scheme checks it, buys a session cookie.
        app.MapPost("/board/sign-in", SignInAsync).RequireCsrfForSessions().RequireRateLimiting(SignInLimit);

        app.MapPost("/board/sign-out", async (HttpContext context) =>
        {
            await context.SignOutSessionAsync();
            return TypedResults.NoContent();
        }).RequireCsrfForSessions();

        return app;
    }

    private static async Task<IResult> SignInAsync(ApiKeyValidator keys, HttpContext context, ILoggerFactory loggers)
    {
        // Read as strictly as every other body (bounded, UTF-8, each key once), never by the binder's leniency.
        var (document, problem) = await JsonBody.ParseObjectAsync(context.Request, "sign-in", context.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        string? given;
        using (document)
        {
            var errors = new Dictionary<string, string[]>();
            var fields = new JsonFields(document!.RootElement, errors);
            fields.RejectUnknown(SignInFields);
            given = fields.Require("key") ? fields.String("key", 512) : null;
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }
        }

        var logger = loggers.CreateLogger(typeof(BoardEndpoints));
        if (keys.Find(given) is not { } key)
        {
            LogRefused(logger, "unknown key");
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unknown key",
                detail: "This is not a key of this service. Sign in with your personal clinician key.");
        }

        if (!key.Roles.Contains(Roles.Clinician))
        {
            LogRefused(logger, "not a clinician's key");
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not a clinician's key",
                detail: "The ward board is for clinicians; this key does not have the clinician role.");
        }

        await context.SignInSessionAsync(ApiKeyValidator.Identity(key, SessionAuthentication.SchemeName));
        LogSignedIn(logger, key.Name);
        return TypedResults.Ok(new BoardSession(true, key.Name, null));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ward board: {Credential} signed in")]
    private static partial void LogSignedIn(ILogger logger, string credential);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ward board: sign-in refused ({Reason})")]
    private static partial void LogRefused(ILogger logger, string reason);
}

/// <summary>
/// The board's session: whether a clinician is signed in, their credential's name, the antiforgery token for
/// <c>X-CSRF-TOKEN</c>, and whether the hospital's identity provider signs people in here.
/// </summary>
internal sealed record BoardSession(bool SignedIn, string? Name, string? CsrfToken, bool IdentityProvider = false);
