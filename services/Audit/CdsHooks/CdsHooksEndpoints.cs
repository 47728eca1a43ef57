using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Toxicity.Alerting;
using Toxicity.Audit.Service.Fhir;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service.CdsHooks;

/// <summary>
/// A CDS Hooks 2.0 service for the EHR (docs/cds-hooks.md): <c>GET /cds-services</c> (discovery),
/// <c>POST /cds-services/toxicity-grades</c> on <c>patient-view</c> (a card with the patient's current grades and the
/// latest advice, recorded as an audit request), and <c>POST /cds-services/toxicity-grades/feedback</c> (accepted or
/// overridden with the reason, recorded as <see cref="CdsFeedbackRecorded"/>). Calls carry the EHR's signed JWT.
/// </summary>
internal static class CdsHooksEndpoints
{
    public const string ServiceId = "toxicity-grades";
    public const string DeclineReasonSystem = "https://toxicity.dev/fhir/CodeSystem/alert-decline-reason";
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);
    private static readonly string[] Outcomes = ["accepted", "overridden"];

    /// <summary>The most card outcomes one feedback request may carry.</summary>
    private const int MaxFeedback = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebApplicationBuilder AddCdsHooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CdsHooksOptions>().BindConfiguration(CdsHooksOptions.Section)
            .Validate(o => o.Clients.Values.All(c => c.Issuer.Length > 0 && c.JwksUrl is { IsAbsoluteUri: true }),
                $"every {CdsHooksOptions.Section}:Clients entry needs an Issuer and an absolute JwksUrl")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(CdsClients.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<CdsClients>();
        builder.Services.AddSingleton<CardLedger>();
        return builder;
    }

    public static WebApplication MapCdsHooks(this WebApplication app)
    {
        // Discovery holds no patient data: open, as most CDS clients call it before any trust is set up.
        app.MapGet("/cds-services", () => TypedResults.Json(new JsonObject
        {
            ["services"] = new JsonArray(new JsonObject
            {
                ["hook"] = "patient-view",
                ["id"] = ServiceId,
                ["title"] = "Toxicity: CRS and ICANS grades",
                ["description"] = "The patient's current ASTCT CRS and ICANS grades (at least, possible CRS to confirm, stale marked), the latest advice "
                    + "with its citations, and a link to the patient's chart on the ward board. Decision support, for a clinician to confirm.",
                ["usageRequirements"] = "context.patientId is the pseudonymous id the ward systems use for the patient.",
            }),
        }));
        app.MapPost($"/cds-services/{ServiceId}", PatientViewAsync);
        app.MapPost($"/cds-services/{ServiceId}/feedback", FeedbackAsync);
        return app;
    }

    private static async Task<IResult> PatientViewAsync(HttpRequest request, CdsClients clients, GradeObservations grades, AuditStore store, CardLedger cards,
        IOptions<CdsHooksOptions> options, IBus bus, CancellationToken cancellationToken)
    {
        var (client, refusal) = await AuthenticateAsync(request, clients, options.Value, cancellationToken);
        if (client is null)
        {
            return Unauthorized(refusal);
        }

        var (document, problem) = await JsonBody.ParseObjectAsync(request, "CDS Hooks request", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        string patientId;
        var hookInstance = Guid.Empty;
        using (document)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var fields = new JsonFields(document!.RootElement, errors);
            fields.Require("hook");
            fields.Code("hook", ["patient-view"]);
            if (fields.Require("hookInstance") && fields.String("hookInstance", 64) is { } instance && !Guid.TryParse(instance, out hookInstance))
            {
                fields.Fail("hookInstance", "hookInstance is the UUID of this hook call.");
            }

            patientId = string.Empty;
            if (fields.Require("context") && fields.Object("context") is { } context && context.Require("patientId") && context.String("patientId", 64) is { } id)
            {
                patientId = id;
                if (id.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
                {
                    context.Fail("patientId", "context.patientId is the patient's pseudonymous id (1-64 characters, no spaces).");
                }
            }

            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }
        }

        var cardId = EventIds.Derive(hookInstance, $"cds-card/{patientId}");
        if (await AuditEndpoints.RecordAsync(bus, client, "cds-patient-view", patientId, $"hookInstance={hookInstance}&card={cardId}", request.HttpContext.Response, cancellationToken) is { } unavailable)
        {
            return unavailable;
        }

        var recorded = grades.OfPatient(patientId, new HashSet<string>(StringComparer.Ordinal) { GradeCodeSystems.AstctCrs, GradeCodeSystems.AstctIcans });
        var text = CdsCards.PatientView(Latest(recorded, GradeCodeSystems.AstctCrs), Latest(recorded, GradeCodeSystems.AstctIcans), LatestAdvice(store, patientId), AlertPolicy.Default);
        if (text is null)
        {
            return TypedResults.Json(new JsonObject { ["cards"] = new JsonArray() });
        }

        cards.Issued(cardId, patientId);
        var card = new JsonObject
        {
            ["uuid"] = cardId.ToString(),
            ["summary"] = text.Summary,
            ["indicator"] = text.Indicator,
            ["detail"] = text.Detail,
            ["source"] = new JsonObject { ["label"] = text.SourceLabel },
            ["overrideReasons"] = new JsonArray([.. AlertResponses.DeclineReasons.Select(r => (JsonNode)new JsonObject
            {
                ["code"] = r.Key, ["system"] = DeclineReasonSystem, ["display"] = r.Value,
            })]),
        };
        if (options.Value.BoardAddress is { } board)
        {
            card["links"] = new JsonArray(new JsonObject
            {
                ["label"] = "Patient chart on the ward board",
                ["url"] = new Uri(board, $"board/chart.html?patient={Uri.EscapeDataString(patientId)}").ToString(),
                ["type"] = "absolute",
            });
        }

        return TypedResults.Json(new JsonObject { ["cards"] = new JsonArray(card) });
    }

    private static async Task<IResult> FeedbackAsync(HttpRequest request, CdsClients clients, CardLedger cards, IOptions<CdsHooksOptions> options, IBus bus,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var (client, refusal) = await AuthenticateAsync(request, clients, options.Value, cancellationToken);
        if (client is null)
        {
            return Unauthorized(refusal);
        }

        var (document, problem) = await JsonBody.ParseObjectAsync(request, "CDS Hooks feedback", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var events = new List<IPatientEvent>();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        using (document)
        {
            var fields = new JsonFields(document!.RootElement, errors);
            fields.Require("feedback");
            var items = fields.Objects("feedback", MaxFeedback);
            if (items is { Count: 0 } && errors.Count == 0)
            {
                fields.Fail("feedback", "feedback is a non-empty array of card outcomes.");
            }

            foreach (var item in items ?? [])
            {
                if (Feedback(item, errors, cards) is { } feedback)
                {
                    events.Add(new CdsFeedbackRecorded(EventIds.Derive(feedback.Card, $"cds-feedback/{feedback.Outcome}/{feedback.At:O}"), feedback.PatientId,
                        feedback.At, now, ServiceId, feedback.Card, feedback.Outcome, feedback.Reason, client));
                }
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            await ConfirmedPublish.PublishAsync(bus, events, PublishTimeout, cancellationToken);
        }
        catch (BrokerUnavailableException)
        {
            return ConfirmedPublish.Unavailable(request.HttpContext.Response, "feedback");
        }

        return TypedResults.Ok(new JsonObject());
    }

    /// <summary>One card's outcome, or null with its faults recorded under its path (<c>feedback[i].…</c>).</summary>
    private static (Guid Card, string PatientId, string Outcome, string? Reason, DateTimeOffset At)? Feedback(JsonFields item, Dictionary<string, string[]> errors, CardLedger cards)
    {
        item.Require("card");
        item.Require("outcome");
        item.Require("outcomeTimestamp");
        var card = Guid.Empty;
        string? patientId = null;
        if (item.String("card", 64) is { } text && (!Guid.TryParse(text, out card) || (patientId = cards.PatientOf(card)) is null))
        {
            item.Fail("card", "Not the uuid of a card this service gave.");
        }

        var outcome = item.Code("outcome", Outcomes);
        string? reason = null;
        if (item.Object("overrideReason") is { } overrideReason && overrideReason.Object("reason") is { } coding)
        {
            reason = coding.String("code", 64);
            if (coding.String("system", 200) != DeclineReasonSystem || reason is null || !AlertResponses.DeclineReasons.ContainsKey(reason))
            {
                overrideReason.Fail("reason", $"The reason is one of the card's overrideReasons ({DeclineReasonSystem}).");
            }
        }

        if (reason is not null && outcome == "accepted")
        {
            item.Fail("overrideReason", "An accepted card has no override reason.");
        }

        var at = item.Timestamp("outcomeTimestamp");
        return errors.Keys.Any(k => k.StartsWith(item.Path(string.Empty), StringComparison.Ordinal)) || patientId is null || outcome is null || at is null
            ? null
            : (card, patientId, outcome, reason, at.Value);
    }

    private static PublishedGrade? Latest(IReadOnlyList<GradeRecord> recorded, string code) =>
        recorded.LastOrDefault(g => g.Code == code) is { } g ? new PublishedGrade(g.Grade, g.LowerBound, g.Provisional, g.Stale, g.RuleSet, g.Change.ObservedAt) : null;

    /// <summary>The items of the patient's latest advice (Mitigation's <see cref="MitigationAdvised"/>), as stored.</summary>
    private static List<AdviceLine> LatestAdvice(AuditStore store, string patientId)
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event FROM entries WHERE patient_id = $patient AND type = $type AND status = 'valid' ORDER BY log_offset DESC LIMIT 1";
        command.Parameters.AddWithValue("$patient", patientId);
        command.Parameters.AddWithValue("$type", EventLog.WireName(typeof(MitigationAdvised)));
        return command.ExecuteScalar() is string json && JsonSerializer.Deserialize<MitigationAdvised>(json, Json) is { } advised
            ? [.. advised.Items.Select(i => new AdviceLine(i.Text, i.Source))]
            : [];
    }

    /// <summary>The JWT checked against the endpoint called: the service's URL (the audience setting's, else the request's) or the exact URL.</summary>
    private static Task<(string? Issuer, string? Refusal)> AuthenticateAsync(HttpRequest request, CdsClients clients, CdsHooksOptions options,
        CancellationToken cancellationToken)
    {
        var root = options.Audience?.ToString().TrimEnd('/') ?? $"{request.Scheme}://{request.Host}{request.PathBase}/cds-services";
        var called = request.Path.Value!.EndsWith("/feedback", StringComparison.Ordinal) ? $"{root}/{ServiceId}/feedback" : $"{root}/{ServiceId}";
        return clients.CheckAsync(request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null, [$"{root}/{ServiceId}", called], cancellationToken);
    }

    private static IResult Unauthorized(string? refusal) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not a trusted CDS client",
            detail: $"CDS Hooks calls carry the EHR's signed JWT (docs/cds-hooks.md): {refusal}.");
}

/// <summary>
/// The cards given, by uuid, with their patient, so that feedback (which names only the card) is recorded for the
/// right patient. Bounded: the latest 50 000 cards, none older than 7 days; a card the memory lost (e.g. across a
/// restart) is found in the stored log, where its patient-view call was recorded.
/// </summary>
internal sealed class CardLedger(AuditStore store, TimeProvider clock)
{
    private const int Most = 50_000;
    private static readonly TimeSpan Kept = TimeSpan.FromDays(7);
    private readonly ConcurrentDictionary<Guid, (string PatientId, DateTimeOffset At)> _cards = new();

    public void Issued(Guid card, string patientId)
    {
        var now = clock.GetUtcNow();
        _cards[card] = (patientId, now);
        if (_cards.Count > Most)
        {
            foreach (var old in _cards.Where(c => now - c.Value.At > Kept).Select(c => c.Key).Concat(_cards.OrderBy(c => c.Value.At).Take(_cards.Count - Most).Select(c => c.Key)).ToList())
            {
                _cards.TryRemove(old, out _);
            }
        }
    }

    public string? PatientOf(Guid card)
    {
        if (_cards.TryGetValue(card, out var known))
        {
            return known.PatientId;
        }

        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT patient_id FROM entries
            WHERE type = $type AND observed_at >= $since AND json_extract(event, '$.action') = 'cds-patient-view' AND instr(json_extract(event, '$.query'), $card) > 0
            LIMIT 1
            """;
        command.Parameters.AddWithValue("$type", EventLog.WireName(typeof(AuditRequested)));
        command.Parameters.AddWithValue("$since", (clock.GetUtcNow() - Kept).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$card", $"card={card}");
        return command.ExecuteScalar() as string;
    }
}
