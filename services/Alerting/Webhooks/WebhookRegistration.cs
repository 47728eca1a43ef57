using Microsoft.Extensions.Options;
using Toxicity.Hosting;

namespace Toxicity.Alerting.Service.Webhooks;

/// <summary>Webhook subscribers from configuration, their senders and the endpoints that list them and their failures.</summary>
internal static class WebhookRegistration
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidation>();
        // One named HttpClient per subscriber (its own connection pool): a slow pager never holds another's connections.
        builder.Services.AddHttpClient();
        foreach (var subscriber in builder.Configuration.GetSection($"{WebhookOptions.Section}:Subscribers").GetChildren())
        {
            // The pipeline's timeout per attempt governs, not HttpClient's own 100 s.
            builder.Services.AddHttpClient(ClientName(subscriber.Key), client => client.Timeout = Timeout.InfiniteTimeSpan);
        }

        builder.Services.AddSingleton<WebhookOutbox>();
        builder.Services.AddSingleton<IReadOnlyList<WebhookSender>>(services =>
        {
            var options = services.GetRequiredService<IOptions<WebhookOptions>>().Value;
            var clients = services.GetRequiredService<IHttpClientFactory>();
            var clock = services.GetRequiredService<TimeProvider>();
            return [.. options.Subscribers.Select(s => new WebhookSender(s.Key, s.Value, options, clients.CreateClient(ClientName(s.Key)), clock))];
        });
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }

    public static RouteGroupBuilder MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").RequireAuthorization(policy => policy.RequireRole(Roles.Clinician, Roles.Auditor));

        // Who is notified at each tier, and whether each subscriber is being reached (its circuit).
        webhooks.MapGet("/", (IReadOnlyList<WebhookSender> senders) => TypedResults.Ok(senders.Select(s => new
        {
            s.Subscription.Name,
            s.Endpoint,
            Tiers = s.Subscription.Tiers.Order(StringComparer.Ordinal),
            Wards = s.Subscription.Wards.Order(StringComparer.Ordinal),
            Events = s.Subscription.Events.Order(StringComparer.Ordinal),
            Circuit = s.CircuitState,
        })));

        // Deliveries that finally failed (kept in the event log), in the order they failed.
        webhooks.MapGet("/failed", (WebhookOutbox outbox, string? subscriber) => TypedResults.Ok(outbox.FailedDeliveries(subscriber)));
        return api;
    }

    private static string ClientName(string subscriber) => $"webhook:{subscriber}";

    private sealed class WebhookOptionsValidation : IValidateOptions<WebhookOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebhookOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
