using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Toxicity.Hosting;

/// <summary>
/// The set-up every Toxicity service shares: Serilog compact JSON on stdout, OpenTelemetry traces and metrics
/// (OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), problem details, API-key authentication with the
/// role policies, and the health endpoints.
/// </summary>
public static class ServiceDefaults
{
    /// <summary>The health-check tag that <c>/health/ready</c> runs (MassTransit tags its bus check with it too).</summary>
    public const string ReadyTag = "ready";

    /// <summary>The service's name: <c>OTEL_SERVICE_NAME</c>, else the application name.</summary>
    public static string ServiceName(this IHostApplicationBuilder builder) =>
        builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : builder.Environment.ApplicationName;

    /// <summary>Logging, tracing, metrics, problem details and health checks.</summary>
    public static WebApplicationBuilder AddToxicityDefaults(this WebApplicationBuilder builder)
    {
        var serviceName = builder.ServiceName();

        builder.Services.AddSerilog((services, logger) => logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            // Every failing probe would log a warning with the broker's stack trace; MassTransit already logs the cause once.
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Error)
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Service", serviceName)
            // Through a logger of its own, so that this runs after every property is on the event, ASP.NET Core's
            // request scope included: its RequestPath is the path as sent (issue 21's log scan found a name there).
            .WriteTo.Logger(console => console
                .Enrich.With<WithoutRequestPath>()
                .WriteTo.Console(new RenderedCompactJsonFormatter())));

        // Traces and metrics only where they go somewhere: unset, the exporter would keep trying localhost:4317
        // (ECOSYSTEM.md "Observability"), and spans nobody exports cost every request and every publish its CPU
        // (bench/results/load-*.md, "Tuning").
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService(serviceName))
                .WithTracing(tracing => tracing
                    .AddSource("MassTransit")
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsHealthProbe(context))
                    .AddHttpClientInstrumentation())
                .WithMetrics(metrics => metrics
                    .AddMeter("MassTransit")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }

        builder.Services.AddProblemDetails();
        // What Kestrel or a binder refuses while a handler reads the request (a body sent too slowly, a malformed form)
        // is the client's fault: answered with its own 4xx, never as a 500.
        builder.Services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = error =>
            error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        builder.Services.AddHealthChecks();

        // API keys (X-Api-Key) for machine clients; every endpoint group requires one of the roles' policies.
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.ApiKeys.All(k => k.Name.Length > 0 && k.Sha256.Length == 64 && k.Roles.Count > 0),
                "every Auth:ApiKeys entry needs a Name, a 64-hex-digit Sha256 and at least one role")
            .ValidateOnStart();
        builder.Services.AddSingleton<ApiKeyValidator>();
        // Bearer tokens from the hospital's identity provider beside them, for clinicians and auditors (Auth:Oidc).
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddOidcBearer(builder.Configuration);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.WardSystem, p => p.RequireRole(Roles.WardSystem))
            .AddPolicy(Roles.Clinician, p => p.RequireRole(Roles.Clinician))
            .AddPolicy(Roles.Auditor, p => p.RequireRole(Roles.Auditor));
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c> (no checks: the process answers) and <c>/health/ready</c> (the checks tagged
    /// <see cref="ReadyTag"/>: the bus connection and the event log), in every environment, status only.
    /// </summary>
    public static WebApplication MapToxicityDefaults(this WebApplication app)
    {
        app.UseSerilogRequestLogging(o =>
        {
            o.GetLevel = (context, _, error) =>
                error is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : IsHealthProbe(context) ? LogEventLevel.Verbose
                : LogEventLevel.Information;
            // The route's template, never the path as sent: a path holds whatever the client put there, a name
            // where a patient id belongs included (issue 21's log scan), and the log must not keep it.
            o.MessageTemplate = "HTTP {RequestMethod} {Route} responded {StatusCode} in {Elapsed:0.0000} ms";
            o.GetMessageTemplateProperties = (context, _, elapsed, status) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                new LogEventProperty("Route", new ScalarValue(Route(context))),
                new LogEventProperty("StatusCode", new ScalarValue(status)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
            ];
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            // MassTransit reports a bus whose broker connection is lost as Degraded, which would answer 200.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return app;
    }

    /// <summary>The template of the endpoint that answered (e.g. <c>/api/v1/patients/{patientId}/chart</c>), or what answered instead.</summary>
    private static string Route(HttpContext context) => context.GetEndpoint() switch
    {
        RouteEndpoint { RoutePattern.RawText: { } template } => template,
        { DisplayName: { } name } => name,
        _ => "(no endpoint: a static file or no route)",
    };

    private static bool IsHealthProbe(HttpContext context) => context.Request.Path.StartsWithSegments("/health");

    /// <summary>Drops the request's raw path from a log event: the route's template stands in its place (<c>Route</c>).</summary>
    private sealed class WithoutRequestPath : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) => logEvent.RemovePropertyIfPresent("RequestPath");
    }
}
