using System.Security.Cryptography;
using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Hosting;

namespace Toxicity.Ingestion.Service;

/// <summary>What a request reader made of a body: the events to publish (their ids drawn from <see cref="EventIdSource"/>).</summary>
internal delegate IReadOnlyList<IPatientEvent>? RequestReader(JsonElement body, EventIdSource ids, DateTimeOffset now, Dictionary<string, string[]> errors);

/// <summary>
/// Event ids for one request: name-based on the caller and the Idempotency-Key when there is one (so a retry after
/// a lost answer republishes the same facts), otherwise time-ordered and new.
/// </summary>
internal sealed class EventIdSource(string? caller, string? key, DateTimeOffset now)
{
    private int _next;

    public Guid Next() => key is null
        ? Guid.CreateVersion7(now)
        : EventIds.NameBased(EventIds.Namespace, $"ingestion/{caller}/{key}/{_next++}");
}

/// <summary>
/// The one path every JSON submission takes: authenticate (done by the policy), replay a known Idempotency-Key,
/// read and validate the body strictly, refuse observations of patients not admitted, publish with confirms, and
/// only then answer 202 (remembering the answer under the key). Nothing is published for a refused request.
/// </summary>
internal sealed class Submissions(IngestionStore store, EventPublisher publisher, TimeProvider clock, ILogger<Submissions> logger)
{
    public const string IdempotencyHeader = "Idempotency-Key";
    private const int MaxKeyLength = 200;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Action<ILogger, int, string, Exception?> LogBrokerDown = LoggerMessage.Define<int, string>(
        LogLevel.Warning, default, "Broker did not confirm {EventCount} events from {Caller}; answered 503");

    public async Task<IResult> SubmitAsync(HttpContext http, RequestReader read, bool requireAdmitted, Func<IReadOnlyList<IPatientEvent>, Task>? afterPublish = null)
    {
        var cancellationToken = http.RequestAborted;
        if (!http.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, detail: "Send the body as application/json.");
        }

        var body = await JsonBody.ReadBoundedAsync(http.Request, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: $"The body is larger than {JsonBody.MaxBodyBytes} bytes.");
        }

        var caller = http.User.Identity?.Name ?? "anonymous";
        var key = http.Request.Headers[IdempotencyHeader].ToString();
        string? hash = null;
        if (key.Length > 0)
        {
            if (key.Length > MaxKeyLength || key.Any(char.IsControl))
            {
                return Validation(IdempotencyHeader, $"{IdempotencyHeader} must be 1-{MaxKeyLength} printable characters.");
            }

            hash = Convert.ToHexString(SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(http.Request.Method + " " + http.Request.Path), .. body]));
            if (await store.FindAnswerAsync(caller, key, cancellationToken) is { } known)
            {
                if (known.RequestHash != hash)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                        detail: $"This {IdempotencyHeader} was used for a different request; use a new key for a new request.",
                        extensions: new Dictionary<string, object?> { ["field"] = IdempotencyHeader });
                }

                http.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Content(known.Body, "application/json", statusCode: known.Status);
            }
        }

        // Not UTF-8, not JSON, a lone surrogate or a key given twice: refused naming where, before any field is read.
        if (StrictJson.Check(body) is { } fault)
        {
            return Validation(fault.Path, fault.Message);
        }

        var document = JsonDocument.Parse(body);

        using (document)
        {
            var now = clock.GetUtcNow();
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var events = document.RootElement.ValueKind == JsonValueKind.Object
                ? read(document.RootElement, new EventIdSource(caller, key.Length > 0 ? key : null, now), now, errors)
                : null;
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors["$"] = ["The body must be a JSON object."];
            }

            if (errors.Count > 0 || events is null)
            {
                return TypedResults.ValidationProblem(errors);
            }

            if (requireAdmitted)
            {
                foreach (var patientId in events.Select(e => e.PatientId).Distinct(StringComparer.Ordinal))
                {
                    if (!store.IsAdmitted(patientId))
                    {
                        return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                            title: "Patient not admitted",
                            detail: $"Patient {patientId} is not admitted: PUT /api/v1/patients/{patientId} first, then send this again.",
                            extensions: new Dictionary<string, object?> { ["field"] = "patientId" });
                    }
                }
            }

            try
            {
                await publisher.PublishAsync(events, cancellationToken);
            }
            catch (BrokerUnavailableException)
            {
                LogBrokerDown(logger, events.Count, caller, null);
                http.Response.Headers.RetryAfter = ConfirmedPublish.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Broker unavailable",
                    detail: $"The observation was not recorded: the message broker did not confirm it. Retry after {ConfirmedPublish.RetryAfterSeconds} s with the same {IdempotencyHeader}.");
            }

            if (afterPublish is not null)
            {
                await afterPublish(events);
            }

            return await AcceptedAsync(events, caller, key, hash, now, cancellationToken);
        }
    }

    /// <summary>The answer to published events, remembered under the Idempotency-Key when there is one.</summary>
    private async Task<IResult> AcceptedAsync(IReadOnlyList<IPatientEvent> events, string caller, string key, string? hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var answer = JsonSerializer.Serialize(new AcceptedAnswer(events[0].EventId, [.. events.Select(e => e.EventId)]), Json);
        if (hash is not null)
        {
            await store.SaveAnswerAsync(caller, key, new StoredAnswer(hash, StatusCodes.Status202Accepted, answer), now, cancellationToken);
        }

        return TypedResults.Content(answer, "application/json", statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>202's body: the id of the (first) event recorded, and all of them.</summary>
internal sealed record AcceptedAnswer(Guid EventId, IReadOnlyList<Guid> EventIds);
