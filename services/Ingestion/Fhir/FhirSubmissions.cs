using Toxicity.Hosting;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Task = System.Threading.Tasks.Task;

namespace Toxicity.Ingestion.Service.Fhir;

/// <summary>
/// The FHIR R4 path: an Observation, or a batch or transaction Bundle of Observations, each becoming one
/// <see cref="VitalSignsRecorded"/>. A resource id plays the part of the JSON API's Idempotency-Key: the event id is
/// name-based on (caller, id), the answer is remembered, and the same resource sent again is answered the same
/// without a new publish. Every event of a request is published at once, and answered for only once confirmed.
/// </summary>
internal sealed class FhirSubmissions(IngestionStore store, EventPublisher publisher, TimeProvider clock, ILogger<FhirSubmissions> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Action<ILogger, int, string, Exception?> LogBrokerDown = LoggerMessage.Define<int, string>(
        LogLevel.Warning, default, "Broker did not confirm {EventCount} FHIR events from {Caller}; answered 503");

    public async Task<IResult> ObservationAsync(HttpContext http)
    {
        var (resource, _, failed) = await ReadAsync(http);
        if (failed is not null)
        {
            return failed;
        }

        if (resource is not Observation observation)
        {
            return Outcomes.Failed(StatusCodes.Status400BadRequest, resource!.TypeName, "POST /fhir/r4/Observation takes an Observation; send a Bundle to POST /fhir/r4.");
        }

        var entry = new Entry("Observation", observation, observation.Id, "Observation.id");
        var request = new Request(http, clock.GetUtcNow());
        await ResolveAsync(entry, request);
        if (entry.Issues.Count > 0)
        {
            return Outcomes.Failed(entry.Issues);
        }

        if (await PublishAsync([entry], request) is { } unavailable)
        {
            return unavailable;
        }

        http.Response.Headers.Location = entry.Location;
        return Outcomes.Answer(StatusCodes.Status201Created, Outcomes.Information($"Recorded as {entry.Location}."));
    }

    public async Task<IResult> BundleAsync(HttpContext http)
    {
        var (resource, parseIssues, failed) = await ReadAsync(http, keepEntryIssues: true);
        if (failed is not null)
        {
            return failed;
        }

        if (resource is not Bundle { Type: Bundle.BundleType.Batch or Bundle.BundleType.Transaction } bundle)
        {
            return Outcomes.Failed(StatusCodes.Status400BadRequest, resource is Bundle ? "Bundle.type" : resource!.TypeName,
                "POST /fhir/r4 takes a Bundle of type batch or transaction.");
        }

        if (bundle.Entry.Count == 0)
        {
            return Outcomes.Failed(StatusCodes.Status400BadRequest, "Bundle.entry", "The Bundle has no entries.");
        }

        var request = new Request(http, clock.GetUtcNow());
        var entries = bundle.Entry.Select((e, i) => Entry.From(e, i, parseIssues)).ToList();
        foreach (var duplicate in entries.Where(e => e.Id is not null).GroupBy(e => e.Id, StringComparer.Ordinal).SelectMany(g => g.Skip(1)))
        {
            duplicate.Issues.Add(new FhirIssue(StatusCodes.Status400BadRequest, duplicate.IdPath, "The same resource id appears twice in this Bundle."));
        }

        foreach (var entry in entries)
        {
            await ResolveAsync(entry, request);
        }

        var transaction = bundle.Type == Bundle.BundleType.Transaction;
        if (transaction && entries.SelectMany(e => e.Issues).ToList() is { Count: > 0 } issues)
        {
            // All or nothing (FHIR R4 §3.1.0.11.2): one bad entry fails the transaction and nothing is published.
            return Outcomes.Failed(issues);
        }

        if (await PublishAsync(entries, request) is { } unavailable)
        {
            return unavailable;
        }

        return Outcomes.Answer(StatusCodes.Status200OK, new Bundle
        {
            Type = transaction ? Bundle.BundleType.TransactionResponse : Bundle.BundleType.BatchResponse,
            Entry = [.. entries.Select(e => new Bundle.EntryComponent { Response = e.Response() })],
        });
    }

    private static async Task<(Resource? Resource, List<FhirIssue> Issues, IResult? Failed)> ReadAsync(HttpContext http, bool keepEntryIssues = false)
    {
        if (!http.Request.HasJsonContentType())
        {
            return (null, [], Outcomes.Failed(StatusCodes.Status415UnsupportedMediaType, "Resource", $"Send the body as {FhirJson.ContentType}."));
        }

        if (await Submissions.ReadBodyAsync(http.Request, http.RequestAborted) is not { } body)
        {
            return (null, [], Outcomes.Failed(StatusCodes.Status413PayloadTooLarge, "Resource", $"The body is larger than {Submissions.MaxBodyBytes} bytes."));
        }

        var issues = new List<FhirIssue>();
        var resource = FhirJson.Parse(body, issues);

        // In a Bundle, an issue inside an entry fails that entry only (a batch goes on with the others).
        var fatal = keepEntryIssues ? issues.Where(i => !i.Expression.StartsWith("Bundle.entry[", StringComparison.Ordinal)).ToList() : issues;
        return resource is null || fatal.Count > 0 ? (null, issues, Outcomes.Failed(issues)) : (resource, issues, null);
    }

    /// <summary>Replays a known resource id, or reads the Observation and checks the patient is admitted.</summary>
    private async Task ResolveAsync(Entry entry, Request request)
    {
        if (entry.Issues.Count > 0 || entry.Observation is null)
        {
            return;
        }

        var cancellationToken = request.Http.RequestAborted;
        entry.Hash = entry.Key is null ? null : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(FhirJson.Serialize(entry.Observation))));
        if (entry.Key is not null && await store.FindAnswerAsync(request.Caller, entry.Key, cancellationToken) is { } known)
        {
            if (known.RequestHash == entry.Hash)
            {
                entry.EventId = JsonSerializer.Deserialize<AcceptedAnswer>(known.Body, Json)!.EventId;
            }
            else
            {
                entry.Issues.Add(new FhirIssue(StatusCodes.Status422UnprocessableEntity, entry.IdPath,
                    $"Observation id {entry.Id} was already recorded with different content; give a new or corrected Observation a new id."));
            }

            return;
        }

        var eventId = new EventIdSource(request.Caller, entry.Key, request.Now).Next();
        if (ObservationReader.Read(entry.Observation, entry.At, eventId, request.Now, entry.Issues) is not { } recorded)
        {
            return;
        }

        if (!store.IsAdmitted(recorded.PatientId))
        {
            // Observations of a patient not admitted are refused (README "Patients not admitted").
            entry.Issues.Add(new FhirIssue(StatusCodes.Status422UnprocessableEntity, $"{entry.At}.subject",
                $"Patient {recorded.PatientId} is not admitted: PUT /api/v1/patients/{recorded.PatientId} first, then send this again."));
            return;
        }

        entry.EventId = eventId;
        entry.Event = recorded;
    }

    /// <summary>Publishes every new event at once and remembers the answers; the 503 answer when the broker did not confirm.</summary>
    private async Task<IResult?> PublishAsync(IReadOnlyList<Entry> entries, Request request)
    {
        var fresh = entries.Where(e => e.Event is not null).ToList();
        if (fresh.Count == 0)
        {
            return null;
        }

        var cancellationToken = request.Http.RequestAborted;
        try
        {
            await publisher.PublishAsync([.. fresh.Select(e => (IPatientEvent)e.Event!)], cancellationToken);
        }
        catch (BrokerUnavailableException)
        {
            LogBrokerDown(logger, fresh.Count, request.Caller, null);
            request.Http.Response.Headers.RetryAfter = ConfirmedPublish.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Outcomes.Failed(StatusCodes.Status503ServiceUnavailable, "Resource",
                $"Nothing was recorded: the message broker did not confirm. Retry after {ConfirmedPublish.RetryAfterSeconds} s with the same resource ids.");
        }

        foreach (var entry in fresh.Where(e => e.Key is not null))
        {
            var answer = JsonSerializer.Serialize(new AcceptedAnswer(entry.EventId, [entry.EventId]), Json);
            await store.SaveAnswerAsync(request.Caller, entry.Key!, new StoredAnswer(entry.Hash!, StatusCodes.Status201Created, answer), request.Now, cancellationToken);
        }

        return null;
    }

    private sealed class Request(HttpContext http, DateTimeOffset now)
    {
        public HttpContext Http => http;

        public DateTimeOffset Now => now;

        public string Caller => http.User.Identity?.Name ?? "anonymous";
    }

    /// <summary>One Observation of a request, where it sits (<see cref="At"/>), and what became of it.</summary>
    private sealed class Entry(string at, Observation? observation, string? id, string idPath)
    {
        public string At => at;

        public Observation? Observation => observation;

        public string? Id => id;

        public string IdPath => idPath;

        /// <summary>The idempotency key the resource id stands for; its own namespace beside the JSON API's keys.</summary>
        public string? Key => id is null ? null : $"fhir/Observation/{id}";

        public string? Hash { get; set; }

        public List<FhirIssue> Issues { get; } = [];

        public Guid EventId { get; set; }

        public VitalSignsRecorded? Event { get; set; }

        public string Location => $"Observation/{EventId}";

        public static Entry From(Bundle.EntryComponent component, int index, List<FhirIssue> parseIssues)
        {
            var at = $"Bundle.entry[{index}]";
            var observation = component.Resource as Observation;
            var (id, idPath) = observation?.Id is { } resourceId ? (resourceId, $"{at}.resource.id") : (component.FullUrl, $"{at}.fullUrl");
            var entry = new Entry($"{at}.resource", observation, id, idPath);
            entry.Issues.AddRange(parseIssues.Where(i => i.Expression == at || i.Expression.StartsWith(at + ".", StringComparison.Ordinal)));
            if (entry.Issues.Count > 0)
            {
                return entry;
            }

            if (component.Request is not { Method: Bundle.HTTPVerb.POST, Url: "Observation" })
            {
                entry.Issues.Add(new FhirIssue(StatusCodes.Status400BadRequest, $"{at}.request", "Each entry must be a POST to Observation (request.method POST, request.url Observation)."));
            }
            else if (observation is null)
            {
                entry.Issues.Add(new FhirIssue(StatusCodes.Status400BadRequest, $"{at}.resource", "Each entry must carry an Observation."));
            }
            else if (id is { Length: > 200 })
            {
                entry.Issues.Add(new FhirIssue(StatusCodes.Status400BadRequest, idPath, "The fullUrl must be at most 200 characters."));
            }

            return entry;
        }

        public Bundle.ResponseComponent Response() => Issues.Count == 0
            ? new Bundle.ResponseComponent { Status = "201 Created", Location = Location }
            : new Bundle.ResponseComponent
            {
                Status = Outcomes.StatusOf(Issues) == StatusCodes.Status400BadRequest ? "400 Bad Request" : "422 Unprocessable Entity",
                Outcome = Outcomes.Errors(Issues),
            };
    }
}
