using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace Toxicity.Alerting.Service;

internal static class AlertingEndpoints
{
    public static RouteGroupBuilder MapAlertingEndpoints(this RouteGroupBuilder api)
    {
        // Server-Sent Events: `alert` and `advice` events, numbered by their event-log offset; resume with the
        // Last-Event-ID header (also across a restart of the service); filter by patient and ward.
        api.MapGet("/alerts/stream", (
            AlertFeed feed,
            IHostApplicationLifetime lifetime,
            [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
            string? patientId,
            string? ward,
            CancellationToken cancellationToken) =>
        {
            var after = long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1;
            // A stream ends when its client goes or the service stops: an open screen must not hold up a shutdown.
            return TypedResults.ServerSentEvents(feed.SubscribeAsync(after, patientId, ward, cancellationToken, lifetime.ApplicationStopping));
        });

        api.MapGet("/alerts", (AlertFeed feed, string? patientId, string? ward) =>
            TypedResults.Ok(feed.Payloads<Alert>(AlertFeedEvents.Alert, patientId, ward)));

        return api;
    }
}

internal static class AlertFeedEvents
{
    public const string Alert = "alert";
    public const string Advice = "advice";
}
