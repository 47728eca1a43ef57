using System.Net.Mime;
using Microsoft.Extensions.Options;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service;

/// <summary>
/// <c>Alerting:Reports</c>: where the board's measures page gets the toxicity programme's measures. They are Audit's
/// (<c>GET /api/v1/reports/toxicity</c>, computed from the event log it stores); Alerting asks for them with a key of its
/// own that Audit gives the clinician role, so that the page stays on this origin and its session cookie.
/// </summary>
public sealed class ReportsOptions
{
    public const string Section = "Alerting:Reports";

    /// <summary>Audit's base address, e.g. <c>http://audit:8080/</c>; none: the page says the measures are not set up.</summary>
    public Uri? AuditAddress { get; set; }

    /// <summary>Alerting's API key at Audit (a clinician's role there), sent as <c>X-Api-Key</c>; never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long to wait for Audit's answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Configured => AuditAddress is not null && !string.IsNullOrEmpty(ApiKey);
}

/// <summary>
/// <c>GET /board/reports/toxicity?from=&amp;to=&amp;ward=</c> for a signed-in clinician: Audit's answer passed on as it
/// is (the measures, or its problem details naming the parameter); 503 when Audit is not set up or does not answer.
/// </summary>
internal static partial class ProgrammeMeasures
{
    private const string Client = "audit-reports";

    public static WebApplicationBuilder AddProgrammeMeasures(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReportsOptions>().BindConfiguration(ReportsOptions.Section)
            .Validate(o => o.AuditAddress is null || o.AuditAddress.IsAbsoluteUri, $"{ReportsOptions.Section}:AuditAddress must be an absolute URI")
            .ValidateOnStart();
        builder.Services.AddHttpClient(Client);
        return builder;
    }

    public static WebApplication MapProgrammeMeasures(this WebApplication app)
    {
        app.MapGet("/board/reports/toxicity", ForwardAsync).RequireAuthorization(Roles.Clinician);
        return app;
    }

    private static async Task<IResult> ForwardAsync(HttpContext context, IOptions<ReportsOptions> options, IHttpClientFactory clients, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Configured)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Measures not set up",
                detail: $"This site has not connected the ward board to Audit: set {ReportsOptions.Section}:AuditAddress and ApiKey (README \"Programme measures\").");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.AuditAddress!, $"api/v1/reports/toxicity{context.Request.QueryString}"));
        request.Headers.Add("X-Api-Key", settings.ApiKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await clients.CreateClient(Client).SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
            {
                LogRefused(loggers.CreateLogger(typeof(ProgrammeMeasures)), (int)response.StatusCode);
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Measures not available",
                    detail: $"Audit refused this service's key ({(int)response.StatusCode}): check {ReportsOptions.Section}:ApiKey and its role at Audit.");
            }

            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Content(body, response.Content.Headers.ContentType?.MediaType ?? MediaTypeNames.Application.Json, System.Text.Encoding.UTF8, (int)response.StatusCode);
        }
        catch (Exception e) when ((e is HttpRequestException or OperationCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(loggers.CreateLogger(typeof(ProgrammeMeasures)), e.GetType().Name);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Audit did not answer",
                detail: "The measures come from Audit, which did not answer in time. Try again in a minute.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Programme measures: Audit did not answer ({Error})")]
    private static partial void LogUnavailable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Programme measures: Audit refused this service's key ({Status})")]
    private static partial void LogRefused(ILogger logger, int status);
}
