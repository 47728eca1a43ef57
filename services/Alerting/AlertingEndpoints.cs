using System.Globalization;
using System.Security.Claims;
using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Toxicity.Alerting.Service;

internal static class AlertingEndpoints
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    private static async Task<IResult> AcknowledgeAsync(Guid alertId, AlertBook book, IBus bus, ClaimsPrincipal user, TimeProvider clock,
        HttpResponse response, CancellationToken cancellationToken)
    {
        if (book.Find(alertId) is not { } found)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown alert", detail: "No alert with this id is in the event log.");
        }

        if (found.Alert.Kind == "notice")
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A notice",
                detail: "This is a notice of an improvement: it pages nobody and needs no acknowledgement.");
        }

        if (found.Acknowledged is { } already)
        {
            return TypedResults.Ok(new Acknowledgement(alertId, already.PatientId, already.AcknowledgedBy, already.ObservedAt));
        }

        var now = clock.GetUtcNow();
        var acknowledged = new AlertAcknowledged(EventIds.Derive(alertId, ContractMapping.AlertAcknowledgedEffect), found.Alert.PatientId, now, now,
            alertId, user.Identity?.Name ?? "unknown");
        try
        {
            await ConfirmedPublish.PublishAsync(bus, [acknowledged], PublishTimeout, cancellationToken);
        }
        catch (BrokerUnavailableException)
        {
            return ConfirmedPublish.Unavailable(response, "acknowledgement");
        }

        return TypedResults.Ok(new Acknowledgement(alertId, acknowledged.PatientId, acknowledged.AcknowledgedBy, now));
    }

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

        api.MapGet("/alerts", (AlertFeed feed, AlertBook book, string? patientId, string? ward, bool? open) =>
        {
            var alerts = feed.Payloads<Alert>(AlertFeedEvents.Alert, patientId, ward);
            var acknowledged = book.Acknowledgements(alerts.Select(a => a.AlertId));
            return TypedResults.Ok(alerts
                .Select(a => acknowledged.TryGetValue(a.AlertId, out var ack) ? a with { AcknowledgedAt = ack.ObservedAt, AcknowledgedBy = ack.AcknowledgedBy } : a)
                .Where(a => open is not true || (a.Kind == "alert" && a.AcknowledgedAt is null))
                .ToList());
        });

        // A clinician acknowledges an alert: recorded once as AlertAcknowledged (its id derives from the alert's).
        api.MapPost("/alerts/{alertId:guid}/acknowledge", AcknowledgeAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Clinician));

        return api;
    }
}

internal static class AlertFeedEvents
{
    public const string Alert = "alert";
    public const string Advice = "advice";
    public const string Acknowledged = "acknowledged";
    public const string Escalated = "escalated";
}
