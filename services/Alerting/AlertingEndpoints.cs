using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace Toxicity.Alerting.Service;

internal static class AlertingEndpoints
{
    public static RouteGroupBuilder MapAlertingEndpoints(this RouteGroupBuilder api)
    {
        // Server-Sent Events: `alert` and `advice` events, numbered; resume with the Last-Event-ID header.
        api.MapGet("/alerts/stream", (
            AlertFeed feed,
            [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
            string? patientId,
            CancellationToken cancellationToken) =>
        {
            var after = long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;
            return TypedResults.ServerSentEvents(feed.SubscribeAsync(after, patientId, cancellationToken));
        });

        api.MapGet("/alerts", (AlertFeed feed, string? patientId) =>
            TypedResults.Ok(feed.Payloads<Alert>(AlertFeedEvents.Alert, patientId)));

        return api;
    }
}

internal static class AlertFeedEvents
{
    public const string Alert = "alert";
    public const string Advice = "advice";
}
