using System.Globalization;
using System.Security.Claims;
using MassTransit;
using Toxicity.Contracts;
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
        if (Answerable(book, alertId, "acknowledgement", out var found) is { } refused)
        {
            return refused;
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

    /// <summary>
    /// Accept or decline with a coded reason (<see cref="AlertResponses"/>) and an optional comment, never logged: one
    /// response per alert (its id derives from the alert's), which also acknowledges it if nobody had.
    /// </summary>
    private static async Task<IResult> RespondAsync(Guid alertId, HttpRequest request, AlertBook book, IBus bus, ClaimsPrincipal user, TimeProvider clock,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ParseAsync(request, "response", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        string? answer, reason, comment;
        using (document)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (document!.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["The body must be a JSON object."] });
            }

            var fields = new JsonFields(document.RootElement, errors);
            fields.RejectUnknown(["response", "reason", "comment"]);
            fields.Require("response");
            fields.Require("reason");
            (answer, reason, comment) = (fields.String("response", 32), fields.String("reason", 64), fields.Has("comment") ? fields.String("comment", AlertResponses.MaxCommentLength) : null);
            if (errors.Count == 0 && AlertResponses.Check(answer, reason, comment) is { } wrong)
            {
                errors[wrong.Field] = [wrong.Message];
            }

            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }
        }

        if (Answerable(book, alertId, "response", out var found) is { } refused)
        {
            return refused;
        }

        if (found.Responded is { } given)
        {
            return given.Response == answer && given.Reason == reason && given.Comment == comment
                ? TypedResults.Ok(AlertBook.Response(given))
                : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already answered",
                    detail: $"This alert was already {given.Response} ({given.Reason}) by {given.RespondedBy}; an alert has one response.");
        }

        var now = clock.GetUtcNow();
        var by = user.Identity?.Name ?? "unknown";
        var responded = new AlertResponded(EventIds.Derive(alertId, ContractMapping.AlertRespondedEffect), found.Alert.PatientId, now, now,
            alertId, answer!, reason!, by, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim());
        IPatientEvent[] events = found.Acknowledged is null
            ? [new AlertAcknowledged(EventIds.Derive(alertId, ContractMapping.AlertAcknowledgedEffect), found.Alert.PatientId, now, now, alertId, by), responded]
            : [responded];
        try
        {
            await ConfirmedPublish.PublishAsync(bus, events, PublishTimeout, cancellationToken);
        }
        catch (BrokerUnavailableException)
        {
            return ConfirmedPublish.Unavailable(response, "response");
        }

        return TypedResults.Ok(AlertBook.Response(responded));
    }

    /// <summary>The alert to acknowledge or answer, or why not: 404 for an unknown alert, 409 for a notice (it pages nobody).</summary>
    private static IResult? Answerable(AlertBook book, Guid alertId, string what, out (AlertRaised Alert, AlertAcknowledged? Acknowledged, AlertResponded? Responded) found)
    {
        found = default;
        if (book.Find(alertId) is not { } known)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown alert", detail: "No alert with this id is in the event log.");
        }

        found = known;
        return known.Alert.Kind == "notice"
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A notice",
                detail: $"This is a notice of an improvement: it pages nobody and needs no {what}.")
            : null;
    }

    public static RouteGroupBuilder MapAlertingEndpoints(this RouteGroupBuilder api)
    {
        // Server-Sent Events: `alert`, `escalated`, `acknowledged` and `advice` events, numbered by their event-log
        // offset; resume with the Last-Event-ID header (also across a restart of the service); filter by patient and ward.
        // A browser's EventSource cannot set Last-Event-ID on its first connection, so `?after=<offset>` (the ward
        // board's snapshot offset) starts it there; the header, which EventSource sends when it reconnects, wins.
        api.MapGet("/alerts/stream", (
            AlertFeed feed,
            IHostApplicationLifetime lifetime,
            [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
            string? patientId,
            string? ward,
            long? after,
            CancellationToken cancellationToken) =>
        {
            var from = long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
                : string.IsNullOrEmpty(lastEventId) && after is >= 0 ? after.Value
                : -1;
            // A stream ends when its client goes or the service stops: an open screen must not hold up a shutdown.
            return TypedResults.ServerSentEvents(feed.SubscribeAsync(from, patientId, ward, cancellationToken, lifetime.ApplicationStopping));
        }).RequireAuthorization(Roles.Clinician);

        api.MapGet("/alerts", (AlertFeed feed, AlertBook book, string? patientId, string? ward, bool? open) =>
        {
            var alerts = book.WithHistory(feed.Payloads<Alert>(AlertFeedEvents.Alert, patientId, ward));
            return TypedResults.Ok(alerts.Where(a => open is not true || (a.Kind == "alert" && a.AcknowledgedAt is null)).ToList());
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Clinician, Roles.Auditor));

        // A clinician acknowledges an alert: recorded once as AlertAcknowledged (its id derives from the alert's).
        // Signed in on the board (cookie), the request must also carry the CSRF token.
        api.MapPost("/alerts/{alertId:guid}/acknowledge", AcknowledgeAsync)
            .RequireAuthorization(Roles.Clinician)
            .RequireCsrfForSessions();

        // The coded reasons of an accept or a decline, for screens to offer (docs/alerting.md).
        api.MapGet("/alerts/response-reasons", () => TypedResults.Ok(new { accepted = AlertResponses.AcceptReasons, declined = AlertResponses.DeclineReasons }))
            .RequireAuthorization(policy => policy.RequireRole(Roles.Clinician, Roles.Auditor));

        // Accept or decline with a coded reason (and a comment, never logged): recorded once as AlertResponded.
        api.MapPost("/alerts/{alertId:guid}/respond", RespondAsync)
            .RequireAuthorization(Roles.Clinician)
            .RequireCsrfForSessions();

        // The ward board's first state; the page then follows the stream from the snapshot's offset.
        api.MapGet("/board", (AlertBook book, string? ward) => string.IsNullOrWhiteSpace(ward)
                ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No ward", detail: "Name the ward: ?ward=<ward>.")
                : Results.Ok(book.Board(ward)))
            .RequireAuthorization(Roles.Clinician);

        return api;
    }
}

internal static class AlertFeedEvents
{
    public const string Alert = "alert";
    public const string Advice = "advice";
    public const string Acknowledged = "acknowledged";
    public const string Responded = "responded";
    public const string Escalated = "escalated";

    /// <summary>An overdue-observation notice (C2-OD-1): overdue, still overdue, or cleared.</summary>
    public const string Overdue = "overdue";
}
