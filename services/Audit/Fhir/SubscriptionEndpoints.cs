using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using MassTransit;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service.Fhir;

/// <summary>
/// FHIR R4 Subscriptions to grade changes, as the Subscriptions R5 Backport IG describes them (docs/fhir-grades.md
/// "Subscriptions"): <c>POST /fhir/r4/Subscription</c> (topic <c>grade-changed</c>, rest-hook, <c>id-only</c>,
/// <c>full-resource</c> or <c>empty</c>), read, delete, <c>$status</c> and <c>$events</c>; clinician or auditor.
/// </summary>
internal static class SubscriptionEndpoints
{
    private const string Prefix = "Subscription.";
    private static readonly string[] Contents = ["id-only", "full-resource", "empty"];

    public static WebApplicationBuilder AddFhirSubscriptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SubscriptionStore>();
        builder.Services.AddHttpClient(SubscriptionDeliverer.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddHostedService<SubscriptionDeliverer>();
        return builder;
    }

    public static WebApplication MapFhirSubscriptions(this WebApplication app)
    {
        var subscriptions = app.MapGroup("/fhir/r4/Subscription").RequireAuthorization(policy => policy.RequireRole(Roles.Clinician, Roles.Auditor));
        subscriptions.MapPost("", CreateAsync);
        subscriptions.MapGet("/{id}", (string id, SubscriptionStore store) => store.Find(id) is { } found
            ? FhirEndpoints.Answer(StatusCodes.Status200OK, Notifications.Resource(found))
            : Unknown());
        subscriptions.MapDelete("/{id}", (string id, SubscriptionStore store) =>
        {
            if (store.Find(id) is null)
            {
                return Unknown();
            }

            store.Update(id, found => found with { Status = "off" });
            return Results.NoContent();
        });
        subscriptions.MapGet("/{id}/$status", (string id, SubscriptionStore store) => store.Find(id) is { } found
            ? FhirEndpoints.Answer(StatusCodes.Status200OK, new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["type"] = "searchset",
                ["total"] = 1,
                ["entry"] = new JsonArray(new JsonObject
                {
                    ["fullUrl"] = $"urn:uuid:{Guid.NewGuid()}",
                    ["resource"] = Notifications.Status(found, "query-status", []),
                    ["search"] = new JsonObject { ["mode"] = "match" },
                }),
            })
            : Unknown());
        subscriptions.MapGet("/{id}/$events", Events);
        return app;
    }

    /// <summary>
    /// <c>$events?eventsSinceNumber=&amp;eventsUntilNumber=&amp;content=</c>: the events numbered in that range (default: the
    /// last 100 up to the latest), as a <c>query-event</c> notification, so that a subscriber recovers what it missed.
    /// </summary>
    private static IResult Events(string id, HttpRequest request, SubscriptionStore store, GradeObservations grades)
    {
        if (store.Find(id) is not { } found)
        {
            return Unknown();
        }

        var until = Number(request.Query["eventsUntilNumber"], found.Events, out var badUntil);
        var since = Number(request.Query["eventsSinceNumber"], Math.Max(1, until - 99), out var badSince);
        if (badSince || badUntil || since < 1 || since > until + 1 || until - since >= 1000)
        {
            return FhirEndpoints.Outcome(StatusCodes.Status400BadRequest, "invalid", badUntil ? "eventsUntilNumber" : "eventsSinceNumber",
                "eventsSinceNumber and eventsUntilNumber are event numbers from 1, since at most until, at most 1 000 at once.");
        }

        var content = request.Query["content"].ToString() is { Length: > 0 } asked ? asked : found.Content;
        if (!Contents.Contains(content, StringComparer.Ordinal))
        {
            return FhirEndpoints.Outcome(StatusCodes.Status400BadRequest, "invalid", "content", "content is id-only, full-resource or empty.");
        }

        var events = store.Events(found.Id, since, until);
        return FhirEndpoints.Answer(StatusCodes.Status200OK, Notifications.Bundle(found, "query-event",
            [.. events.Select(e => (e, content == "full-resource" && grades.Find(e.EventId) is { } grade ? GradeObservations.Observation(grade) : (JsonObject?)null))],
            DateTimeOffset.UtcNow));
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, SubscriptionStore store, GradeObservations grades, IBus bus, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (!(request.ContentType is { } type && (type.StartsWith(FhirEndpoints.ContentType, StringComparison.OrdinalIgnoreCase) || request.HasJsonContentType())))
        {
            return FhirEndpoints.Outcome(StatusCodes.Status415UnsupportedMediaType, "not-supported", "Subscription", $"Send the Subscription as {FhirEndpoints.ContentType}.");
        }

        if (await JsonBody.ReadBoundedAsync(request, cancellationToken) is not { } body)
        {
            return FhirEndpoints.Outcome(StatusCodes.Status413PayloadTooLarge, "too-costly", "Subscription", $"The body is larger than {JsonBody.MaxBodyBytes} bytes.");
        }

        if (StrictJson.Check(body) is { } fault)
        {
            return FhirEndpoints.Outcome(StatusCodes.Status400BadRequest, "structure", fault.Path == "$" ? "Subscription" : $"{Prefix}{fault.Path}", fault.Message);
        }

        if (JsonNode.Parse(body) is not JsonObject resource)
        {
            return FhirEndpoints.Outcome(StatusCodes.Status400BadRequest, "structure", "Subscription", "The body is a FHIR R4 Subscription in JSON.");
        }

        if (Read(resource, out var refusal) is not { } asked)
        {
            return refusal!;
        }

        var id = Guid.NewGuid().ToString();
        var start = grades.LastOffset();
        var root = $"{request.Scheme}://{request.Host}{request.PathBase}/fhir/r4/";
        var state = new SubscriptionState(id, root, user.Identity?.Name ?? "unknown", start, start, asked.Endpoint, asked.Headers, asked.Content, asked.Heartbeat,
            asked.Timeout, asked.MaxCount, asked.Patient, asked.Codes, asked.Reason, "requested", false, 0, 0, null, null, 0, null);
        if (await AuditEndpoints.RecordAsync(bus, user, "fhir-subscribe", asked.Patient, $"subscription={id}", request.HttpContext.Response, cancellationToken) is { } unavailable)
        {
            return unavailable;
        }

        store.Save(state);
        request.HttpContext.Response.Headers.Location = $"{root}Subscription/{id}";
        return FhirEndpoints.Answer(StatusCodes.Status201Created, Notifications.Resource(state));
    }

    private sealed record Asked(Uri Endpoint, IReadOnlyList<string> Headers, string Content, int? Heartbeat, int Timeout, int MaxCount, string? Patient,
        IReadOnlyList<string> Codes, string? Reason);

    private static Asked? Read(JsonObject resource, out IResult? refusal)
    {
        refusal = null;
        IResult Fail(string element, string text) => FhirEndpoints.Outcome(StatusCodes.Status400BadRequest, "invalid", element, text);

        if (Text(resource["resourceType"]) != "Subscription")
        {
            refusal = Fail("Subscription.resourceType", "The body is a Subscription.");
            return null;
        }

        if (Text(resource["status"]) is { } status && status != "requested")
        {
            refusal = Fail(Prefix + "status", "A new subscription's status is requested.");
            return null;
        }

        if (Text(resource["criteria"]) != Notifications.Topic)
        {
            refusal = Fail(Prefix + "criteria", $"The topic is {Notifications.Topic} (the only one here).");
            return null;
        }

        string? patient = null;
        var codes = new List<string>();
        foreach (var filter in Extensions(resource["_criteria"], "backport-filter-criteria").Select(e => Text(e["valueString"]) ?? string.Empty))
        {
            var query = filter.StartsWith("Observation?", StringComparison.Ordinal) ? filter["Observation?".Length..] : null;
            foreach (var part in query?.Split('&') ?? [string.Empty])
            {
                var (name, value) = part.IndexOf('=', StringComparison.Ordinal) is var at and > 0 ? (part[..at], Uri.UnescapeDataString(part[(at + 1)..])) : (part, string.Empty);
                if (name is "subject" or "patient" && value.Length > 0)
                {
                    patient = value.StartsWith("Patient/", StringComparison.Ordinal) ? value["Patient/".Length..] : value;
                }
                else if (name == "code" && value.Split(',').Select(GradeObservations.CodeOf).ToList() is var asked && asked.All(c => c is not null))
                {
                    codes.AddRange(asked!);
                }
                else
                {
                    refusal = Fail(Prefix + "criteria.extension", $"'{filter}' is not a filter here: Observation?subject=Patient/{{id}} and Observation?code=<grade codes>.");
                    return null;
                }
            }
        }

        var channel = resource["channel"] as JsonObject;
        if (Text(channel?["type"]) != "rest-hook")
        {
            refusal = Fail(Prefix + "channel.type", "The channel is rest-hook.");
            return null;
        }

        if (!Uri.TryCreate(Text(channel!["endpoint"]), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http"))
        {
            refusal = Fail(Prefix + "channel.endpoint", "The endpoint is an absolute http(s) URL.");
            return null;
        }

        if (Text(channel["payload"]) is not (FhirEndpoints.ContentType or "application/json"))
        {
            refusal = Fail(Prefix + "channel.payload", "The payload is application/fhir+json.");
            return null;
        }

        var content = Extensions(channel["_payload"], "backport-payload-content").Select(e => Text(e["valueCode"])).FirstOrDefault() ?? "id-only";
        if (!Contents.Contains(content, StringComparer.Ordinal))
        {
            refusal = Fail(Prefix + "channel.payload.extension", "The payload content is id-only, full-resource or empty.");
            return null;
        }

        var heartbeat = Int(channel, "backport-heartbeat-period", "valueUnsignedInt");
        var timeout = Int(channel, "backport-timeout", "valueUnsignedInt") ?? 10;
        var maxCount = Int(channel, "backport-max-count", "valuePositiveInt") ?? 10;
        if (heartbeat is < 1 or > 86_400 || timeout is < 1 or > 60 || maxCount is < 1 or > 100)
        {
            refusal = Fail(Prefix + "channel.extension", "heartbeat-period 1-86 400 s, timeout 1-60 s, max-count 1-100.");
            return null;
        }

        var headers = (channel["header"] as JsonArray ?? []).Select(Text).ToList();
        if (headers.Any(h => h is null || h.IndexOf(':', StringComparison.Ordinal) < 1 || h.Any(char.IsControl)))
        {
            refusal = Fail(Prefix + "channel.header", "Each header is 'Name: value'.");
            return null;
        }

        return new Asked(endpoint, headers!, content, heartbeat, timeout, maxCount, patient, codes, Text(resource["reason"]));
    }

    private static IEnumerable<JsonObject> Extensions(JsonNode? element, string name) =>
        (element?["extension"] as JsonArray ?? []).OfType<JsonObject>().Where(e => Text(e["url"]) == Notifications.Backport + name);

    private static int? Int(JsonObject channel, string name, string valueType) =>
        Extensions(channel, name).Select(e => e[valueType] is JsonValue v && v.TryGetValue<int>(out var n) ? n : -1).Cast<int?>().FirstOrDefault();

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long Number(string? text, long fallback, out bool bad)
    {
        bad = false;
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        bad = !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number);
        return number;
    }

    private static IResult Unknown() => FhirEndpoints.Outcome(StatusCodes.Status404NotFound, "not-found", "id", "No Subscription with this id.");
}
