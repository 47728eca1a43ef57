using Toxicity.Hosting;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Toxicity.Contracts;
using Task = System.Threading.Tasks.Task;

namespace Toxicity.Ingestion.Service.Fhir;

/// <summary>
/// The FHIR R4 path: an Observation (vital signs, or a neuro assessment), a MedicationAdministration, or a batch or
/// transaction Bundle of them (with vital signs panels 85353-1 whose members are entries of the Bundle), each
/// validated (<see cref="FhirValidation"/>) and becoming one event. A resource id plays the part of the JSON API's
/// Idempotency-Key: the event id is name-based on (caller, type, id), the answer is remembered, and the same resource
/// sent again is answered the same without a new publish. Every event of a request is published at once, and
/// answered for only once confirmed.
/// </summary>
internal sealed class FhirSubmissions(IngestionStore store, EventPublisher publisher, FhirValidation validation, TimeProvider clock, ILogger<FhirSubmissions> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Action<ILogger, int, string, Exception?> LogBrokerDown = LoggerMessage.Define<int, string>(
        LogLevel.Warning, default, "Broker did not confirm {EventCount} FHIR events from {Caller}; answered 503");

    /// <summary><c>POST /fhir/r4/Observation</c> or <c>POST /fhir/r4/MedicationAdministration</c>: one resource of <paramref name="type"/>.</summary>
    public async Task<IResult> ResourceAsync(HttpContext http, string type)
    {
        var (resource, _, failed) = await ReadAsync(http);
        if (failed is not null)
        {
            return failed;
        }

        if (resource!.TypeName != type)
        {
            return Outcomes.Failed(StatusCodes.Status400BadRequest, resource.TypeName, $"POST /fhir/r4/{type} takes a {type}; send a Bundle to POST /fhir/r4.");
        }

        if (resource is Observation panel && ObservationReader.IsVitalSignsPanel(panel))
        {
            return Outcomes.Failed(StatusCodes.Status422UnprocessableEntity, "Observation.code",
                $"A vital signs panel ({ObservationReader.VitalSignsPanel}) has no value of its own: send it in a Bundle (POST /fhir/r4) with the Observations of its hasMember.");
        }

        var entry = new Entry(type, resource, resource.Id, $"{type}.id", FullUrl: null);
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
            if (entry.Resource is Observation observation && ObservationReader.IsVitalSignsPanel(observation))
            {
                Panel(entry, observation, entries);
            }
            else
            {
                await ResolveAsync(entry, request);
            }
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

        if (await JsonBody.ReadBoundedAsync(http.Request, http.RequestAborted) is not { } body)
        {
            return (null, [], Outcomes.Failed(StatusCodes.Status413PayloadTooLarge, "Resource", $"The body is larger than {JsonBody.MaxBodyBytes} bytes."));
        }

        var issues = new List<FhirIssue>();
        var resource = FhirJson.Parse(body, issues);

        // In a Bundle, an issue inside an entry fails that entry only (a batch goes on with the others).
        var fatal = keepEntryIssues ? issues.Where(i => !i.Expression.StartsWith("Bundle.entry[", StringComparison.Ordinal)).ToList() : issues;
        return resource is null || fatal.Count > 0 ? (null, issues, Outcomes.Failed(issues)) : (resource, issues, null);
    }

    /// <summary>
    /// A vital signs panel (85353-1): no value of its own, its members (<c>hasMember</c>) recorded as their own entries
    /// of this Bundle, which must hold every one of them (by fullUrl or <c>Observation/{id}</c>).
    /// </summary>
    private static void Panel(Entry entry, Observation panel, IReadOnlyList<Entry> entries)
    {
        if (entry.Issues.Count > 0)
        {
            return;
        }

        if (panel.Value is not null || panel.Component.Count > 0)
        {
            entry.Issues.Add(new FhirIssue(StatusCodes.Status400BadRequest, $"{entry.At}.value", $"A vital signs panel ({ObservationReader.VitalSignsPanel}) carries its readings in hasMember, not in a value or components."));
        }

        if (panel.HasMember.Count == 0)
        {
            entry.Issues.Add(new FhirIssue(StatusCodes.Status400BadRequest, $"{entry.At}.hasMember", $"A vital signs panel ({ObservationReader.VitalSignsPanel}) needs hasMember references to its Observations."));
        }

        for (var i = 0; i < panel.HasMember.Count; i++)
        {
            var reference = panel.HasMember[i].Reference;
            if (!entries.Any(e => e != entry && e.Resource is Observation && (e.FullUrl == reference || $"Observation/{e.Resource.Id}" == reference)))
            {
                entry.Issues.Add(new FhirIssue(StatusCodes.Status422UnprocessableEntity, $"{entry.At}.hasMember[{i}]",
                    "Each member of the panel must be an Observation entry of this Bundle (its fullUrl, or Observation/{id} of its resource)."));
            }
        }

        entry.IsPanel = entry.Issues.Count == 0;
    }

    /// <summary>Validates, replays a known resource id, or reads the resource and checks the patient is admitted.</summary>
    private async Task ResolveAsync(Entry entry, Request request)
    {
        if (entry.Issues.Count > 0 || entry.Resource is null)
        {
            return;
        }

        entry.Issues.AddRange(await validation.ValidateAsync(entry.Resource, entry.At));
        if (entry.Issues.Count > 0)
        {
            return;
        }

        var cancellationToken = request.Http.RequestAborted;
        entry.Hash = entry.Key is null ? null : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(FhirJson.Serialize(entry.Resource))));
        if (entry.Key is not null && await store.FindAnswerAsync(request.Caller, entry.Key, cancellationToken) is { } known)
        {
            if (known.RequestHash == entry.Hash)
            {
                entry.EventId = JsonSerializer.Deserialize<AcceptedAnswer>(known.Body, Json)!.EventId;
            }
            else
            {
                entry.Issues.Add(new FhirIssue(StatusCodes.Status422UnprocessableEntity, entry.IdPath,
                    $"{entry.Type} id {entry.Id} was already recorded with different content; give a new or corrected resource a new id."));
            }

            return;
        }

        var ids = new EventIdSource(request.Caller, entry.Key, request.Now);
        IPatientEvent? recorded = entry.Resource switch
        {
            Observation o when ProjectResourceReaders.IsNeuroAssessment(o) => ProjectResourceReaders.ReadNeuroAssessment(o, entry.At, ids, request.Now, entry.Issues),
            Observation o => ObservationReader.Read(o, entry.At, ids.Next(), request.Now, entry.Issues),
            MedicationAdministration m => ProjectResourceReaders.ReadTreatment(m, entry.At, ids, request.Now, entry.Issues),
            _ => null,
        };
        if (recorded is null)
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

        entry.EventId = recorded.EventId;
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
            await publisher.PublishAsync([.. fresh.Select(e => e.Event!)], cancellationToken);
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

    /// <summary>One resource of a request, where it sits (<see cref="At"/>), and what became of it.</summary>
    private sealed record Entry(string At, Resource? Resource, string? Id, string IdPath, string? FullUrl)
    {
        public static readonly string[] Types = ["Observation", "MedicationAdministration"];

        public string Type => Resource?.TypeName ?? "Resource";

        /// <summary>The idempotency key the resource id stands for; its own namespace beside the JSON API's keys.</summary>
        public string? Key => Id is null ? null : $"fhir/{Type}/{Id}";

        public string? Hash { get; set; }

        public List<FhirIssue> Issues { get; } = [];

        public Guid EventId { get; set; }

        public IPatientEvent? Event { get; set; }

        /// <summary>A vital signs panel whose members are entries of the Bundle: accepted, nothing of its own recorded.</summary>
        public bool IsPanel { get; set; }

        public string Location => $"{Type}/{EventId}";

        public static Entry From(Bundle.EntryComponent component, int index, List<FhirIssue> parseIssues)
        {
            var at = $"Bundle.entry[{index}]";
            var resource = component.Resource;
            var (id, idPath) = resource?.Id is { } resourceId ? (resourceId, $"{at}.resource.id") : (component.FullUrl, $"{at}.fullUrl");
            var entry = new Entry($"{at}.resource", resource, id, idPath, component.FullUrl);
            entry.Issues.AddRange(parseIssues.Where(i => i.Expression == at || i.Expression.StartsWith(at + ".", StringComparison.Ordinal)));
            if (entry.Issues.Count > 0)
            {
                return entry;
            }

            if (resource is null || !Types.Contains(resource.TypeName))
            {
                entry.Issues.Add(new FhirIssue(StatusCodes.Status400BadRequest, $"{at}.resource", "Each entry must carry an Observation or a MedicationAdministration."));
            }
            else if (component.Request is not { Method: Bundle.HTTPVerb.POST } || component.Request.Url != resource.TypeName)
            {
                entry.Issues.Add(new FhirIssue(StatusCodes.Status400BadRequest, $"{at}.request", $"Each entry must be a POST to its resource type (request.method POST, request.url {resource.TypeName})."));
            }
            else if (id is { Length: > 200 })
            {
                entry.Issues.Add(new FhirIssue(StatusCodes.Status400BadRequest, idPath, "The fullUrl must be at most 200 characters."));
            }

            return entry;
        }

        public Bundle.ResponseComponent Response() => Issues.Count > 0
            ? new Bundle.ResponseComponent
            {
                Status = Outcomes.StatusOf(Issues) == StatusCodes.Status400BadRequest ? "400 Bad Request" : "422 Unprocessable Entity",
                Outcome = Outcomes.Errors(Issues),
            }
            : IsPanel
                ? new Bundle.ResponseComponent { Status = "200 OK", Outcome = Outcomes.Information("Vital signs panel: its members are recorded as their own entries.") }
                : new Bundle.ResponseComponent { Status = "201 Created", Location = Location };
    }
}
