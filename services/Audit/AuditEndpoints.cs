using System.Globalization;
using System.Security.Claims;
using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Grading;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service;

/// <summary>The auditor's endpoints (role <c>auditor</c> only); every request is recorded in the log before it is answered.</summary>
internal static class AuditEndpoints
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);
    private static readonly string[] RegradeFields = ["patientId", "from", "to", "ruleSet", "compareTo"];

    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").RequireAuthorization(Roles.Auditor);

        // NDJSON in log order, streamed from the store; filters: patient, window of clinical time, event types.
        audit.MapGet("/events", async (AuditStore store, IBus bus, ClaimsPrincipal user, HttpContext http, string? patientId, string? from, string? to, string? types) =>
        {
            var errors = new Dictionary<string, string[]>();
            var fromTime = Time(from, "from", errors);
            var toTime = Time(to, "to", errors);
            var (wireTypes, unknown) = AuditExport.ParseTypes(types);
            if (unknown is not null)
            {
                errors["types"] = [$"'{unknown}' is not an event type; use names such as VitalSignsRecorded, comma-separated."];
            }

            if (fromTime > toTime)
            {
                errors["from"] = ["'from' is after 'to'."];
            }

            if (errors.Count > 0)
            {
                await TypedResults.ValidationProblem(errors).ExecuteAsync(http);
                return;
            }

            // Only the parameters understood, as understood: whatever else a client sends never reaches the log.
            var asked = Query(("patientId", patientId), ("from", fromTime), ("to", toTime), ("types", types is null ? null : string.Join(',', wireTypes)));
            if (await RecordAsync(bus, user, "export", patientId, asked, http.Response, http.RequestAborted) is { } unavailable)
            {
                await unavailable.ExecuteAsync(http);
                return;
            }

            await AuditExport.WriteAsync(store, new ExportQuery(patientId, fromTime, toTime, wireTypes), http.Response, http.RequestAborted);
        });

        // The programme's measures over a window (default: the last 30 days), for auditors and clinicians; recorded like every audit request.
        api.MapGet("/reports/toxicity", async (ProgrammeReports reports, IBus bus, ClaimsPrincipal user, HttpResponse response, string? from, string? to, string? ward,
            CancellationToken cancellationToken) =>
        {
            var errors = new Dictionary<string, string[]>();
            var toTime = Time(to, "to", errors) ?? DateTimeOffset.UtcNow;
            var fromTime = Time(from, "from", errors) ?? toTime.AddDays(-30);
            if (errors.Count == 0 && fromTime >= toTime)
            {
                errors["from"] = ["'from' must be before 'to'."];
            }
            else if (errors.Count == 0 && toTime - fromTime > ProgrammeReports.MaxWindow)
            {
                errors["from"] = [$"A report covers at most {ProgrammeReports.MaxWindow.TotalDays} days."];
            }

            if (ward is not null && (ward.Length is 0 or > 64 || ward.Any(char.IsControl)))
            {
                errors["ward"] = ["'ward' must be a ward's name of 1-64 printable characters."];
            }

            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }

            if (await RecordAsync(bus, user, "report", null, Query(("from", fromTime), ("to", toTime), ("ward", ward)), response, cancellationToken) is { } unavailable)
            {
                return unavailable;
            }

            return TypedResults.Ok(reports.Build(fromTime, toTime, ward, cancellationToken));
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Auditor, Roles.Clinician));

        audit.MapGet("/verify", async (LogVerifier verifier, IBus bus, ClaimsPrincipal user, HttpResponse response, CancellationToken cancellationToken) =>
            await RecordAsync(bus, user, "verify", null, string.Empty, response, cancellationToken) is { } unavailable
                ? unavailable
                : TypedResults.Ok(await verifier.VerifyAsync(cancellationToken)));

        // Body: { "patientId"?, "from"?, "to"?, "ruleSet"?, "compareTo"? }; at least a patient or a window. ruleSet defaults
        // to the live rule set; compareTo (another rule set) compares the two rule sets instead of the recorded changes.
        audit.MapPost("/regrade", async (Regrader regrader, IBus bus, ClaimsPrincipal user, HttpRequest request, HttpResponse response, CancellationToken cancellationToken) =>
        {
            var (document, problem) = await JsonBody.ParseObjectAsync(request, "re-grading request", cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            using (document)
            {
                var errors = new Dictionary<string, string[]>();
                var fields = new JsonFields(document!.RootElement, errors);
                fields.RejectUnknown(RegradeFields);
                var patientId = fields.String("patientId", 64);
                var fromTime = fields.Timestamp("from");
                var toTime = fields.Timestamp("to");
                var ruleSet = fields.Code("ruleSet", Regrader.RuleSets);
                var compareTo = fields.Code("compareTo", Regrader.RuleSets);
                if (compareTo is not null && compareTo == (ruleSet ?? GradingRuleSets.Live.Id))
                {
                    errors["compareTo"] = ["compareTo must be another rule set than ruleSet."];
                }

                if (patientId is null && fromTime is null && toTime is null && errors.Count == 0)
                {
                    errors["patientId"] = ["Give a patientId, or a window (from, to)."];
                }

                if (fromTime > toTime)
                {
                    errors["from"] = ["'from' is after 'to'."];
                }

                if (errors.Count > 0)
                {
                    return TypedResults.ValidationProblem(errors);
                }

                var query = Query(("patientId", patientId), ("from", fromTime), ("to", toTime), ("ruleSet", ruleSet), ("compareTo", compareTo));
                return await RecordAsync(bus, user, "regrade", patientId, query, response, cancellationToken) is { } unavailable
                    ? unavailable
                    : TypedResults.Ok(regrader.Run(patientId, fromTime, toTime, ruleSet ?? GradingRuleSets.Live.Id, compareTo));
            }
        });
        return api;
    }

    /// <summary>Records the auditor's request (confirmed by the broker); the 503 to answer when it cannot be recorded.</summary>
    /// <summary>Records the request as <c>AuditRequested</c> before it is answered; 503 when the broker does not confirm it.</summary>
    internal static Task<IResult?> RecordAsync(IBus bus, ClaimsPrincipal user, string action, string? patientId, string query, HttpResponse response, CancellationToken cancellationToken) =>
        RecordAsync(bus, user.Identity?.Name ?? "unknown", action, patientId, query, response, cancellationToken);

    /// <summary>The same for a caller known by <paramref name="who"/> (e.g. a CDS client's issuer).</summary>
    internal static async Task<IResult?> RecordAsync(IBus bus, string who, string action, string? patientId, string query, HttpResponse response, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        try
        {
            await ConfirmedPublish.PublishAsync(bus,
                [new AuditRequested(NewId.NextGuid(), patientId ?? "*", now, now, who, action, query)], PublishTimeout, cancellationToken);
            return null;
        }
        catch (BrokerUnavailableException)
        {
            return ConfirmedPublish.Unavailable(response, "record of this audit request");
        }
    }

    /// <summary>The parameters given, as <c>name=value&amp;…</c> (times in ISO 8601), for the record of the request.</summary>
    private static string Query(params (string Name, object? Value)[] parameters) =>
        string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={(p.Value is DateTimeOffset time ? time.ToString("O", CultureInfo.InvariantCulture) : p.Value)}"));

    private static DateTimeOffset? Time(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) && value.Contains('T', StringComparison.Ordinal)
            && (value.EndsWith('Z') || value.Contains('+', StringComparison.Ordinal) || value.LastIndexOf('-') > value.IndexOf('T', StringComparison.Ordinal)))
        {
            return time;
        }

        errors[name] = ["An ISO 8601 date-time with its offset, e.g. 2026-11-25T08:00:00Z."];
        return null;
    }
}
