using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using MassTransit;
using Toxicity.Hosting;

namespace Toxicity.Audit.Service.Fhir;

/// <summary>
/// The EHR's FHIR R4 endpoint for grades (docs/fhir-grades.md): <c>GET /fhir/r4/Observation?subject=&amp;code=&amp;_lastUpdated=&amp;_count=</c>
/// and <c>GET /fhir/r4/Observation/{id}</c> (clinician or auditor, recorded in the log like every audit request), the
/// CapabilityStatement and the code systems (open). Errors are OperationOutcomes naming the parameter.
/// </summary>
internal static class FhirEndpoints
{
    public const string ContentType = "application/fhir+json";
    public const int DefaultCount = 50;
    public const int MaxCount = 100;

    private static readonly string[] Parameters = ["subject", "patient", "code", "_lastUpdated", "_count", "_offset", "_format"];
    private static readonly string[] Formats = ["json", "application/json", ContentType];

    public static WebApplication MapFhirGrades(this WebApplication app)
    {
        var fhir = app.MapGroup("/fhir/r4");
        fhir.MapGet("/metadata", () => Answer(StatusCodes.Status200OK, GradeCapabilities.Statement));
        fhir.MapGet("/CodeSystem/{id}", (string id) => GradeCodeSystems.All.TryGetValue(id, out var system)
            ? Answer(StatusCodes.Status200OK, system)
            : Outcome(StatusCodes.Status404NotFound, "not-found", "id", $"No CodeSystem '{id}' here; this endpoint has {string.Join(", ", GradeCodeSystems.All.Keys)}."));

        var read = fhir.MapGroup("/Observation").RequireAuthorization(policy => policy.RequireRole(Roles.Clinician, Roles.Auditor));
        read.MapGet("", SearchAsync);
        read.MapGet("/{id}", ReadAsync);
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpRequest request, GradeObservations grades, IBus bus, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (Search.Check(request.Query, out var asked) is { } refused)
        {
            return refused;
        }

        var search = asked!;

        if (await AuditEndpoints.RecordAsync(bus, user, "fhir-search", search.PatientId, search.Canonical(offset: null), request.HttpContext.Response, cancellationToken) is { } unavailable)
        {
            return unavailable;
        }

        var matches = (search.OtherCodesOnly ? [] : grades.OfPatient(search.PatientId, search.Codes))
            .Where(g => search.LastUpdated.All(range => range.Contains(g.Change.RecordedAt)))
            .ToList();
        var page = matches.Skip(search.Offset).Take(search.Count).ToList();
        var root = FhirBase(request);
        var links = new JsonArray(Link("self", root, search.Canonical(search.Offset)));
        if (search.Offset + page.Count < matches.Count)
        {
            links.Add(Link("next", root, search.Canonical(search.Offset + page.Count)));
        }

        if (search.Offset > 0)
        {
            links.Add(Link("previous", root, search.Canonical(Math.Max(0, search.Offset - search.Count))));
        }

        return Answer(StatusCodes.Status200OK, new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["total"] = matches.Count,
            ["link"] = links,
            ["entry"] = new JsonArray([.. page.Select(g => (JsonNode)new JsonObject
            {
                ["fullUrl"] = $"{root}Observation/{g.Change.EventId}",
                ["resource"] = GradeObservations.Observation(g),
                ["search"] = new JsonObject { ["mode"] = "match" },
            })]),
        });
    }

    private static async Task<IResult> ReadAsync(string id, HttpRequest request, GradeObservations grades, IBus bus, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var eventId) || grades.Find(eventId) is not { } grade)
        {
            return Outcome(StatusCodes.Status404NotFound, "not-found", "id", "No grade Observation with this id.");
        }

        if (await AuditEndpoints.RecordAsync(bus, user, "fhir-read", grade.Change.PatientId, $"id={eventId}", request.HttpContext.Response, cancellationToken) is { } unavailable)
        {
            return unavailable;
        }

        return Answer(StatusCodes.Status200OK, GradeObservations.Observation(grade));
    }

    /// <summary>This endpoint's base URL as the client reached it, ending in <c>/fhir/r4/</c>.</summary>
    private static string FhirBase(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/fhir/r4/";

    private static JsonObject Link(string relation, string root, string query) => new() { ["relation"] = relation, ["url"] = $"{root}Observation?{query}" };

    public static IResult Answer(int status, JsonNode resource) =>
        TypedResults.Content(resource.ToJsonString(), ContentType, Encoding.UTF8, status);

    /// <summary>An OperationOutcome with one error naming <paramref name="parameter"/>.</summary>
    public static IResult Outcome(int status, string code, string parameter, string text) => Answer(status, new JsonObject
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray(new JsonObject
        {
            ["severity"] = "error",
            ["code"] = code,
            ["details"] = new JsonObject { ["text"] = text },
            ["diagnostics"] = text,
            ["expression"] = new JsonArray(parameter),
        }),
    });

    /// <summary>A search as understood: the patient, the grade codes (none: every grade), the _lastUpdated ranges, the page.</summary>
    private sealed record Search(string PatientId, IReadOnlySet<string> Codes, IReadOnlyList<string> CodeTokens, IReadOnlyList<(string Value, TimeRange Range)> Updated, int Count, int Offset)
    {
        /// <summary>Codes were asked, none of them a grade of ours: nothing matches (an empty result, not an error).</summary>
        public bool OtherCodesOnly => CodeTokens.Count > 0 && Codes.Count == 0;

        public IEnumerable<TimeRange> LastUpdated => Updated.Select(u => u.Range);

        /// <summary>The search's parameters as a link writes them (and the log records them), at <paramref name="offset"/>.</summary>
        public string Canonical(int? offset)
        {
            var parts = new List<string> { $"subject={Uri.EscapeDataString($"Patient/{PatientId}")}" };
            if (CodeTokens.Count > 0)
            {
                parts.Add($"code={Uri.EscapeDataString(string.Join(',', CodeTokens))}");
            }

            parts.AddRange(Updated.Select(u => $"_lastUpdated={Uri.EscapeDataString(u.Value)}"));
            parts.Add($"_count={Count}");
            if (offset is { } at)
            {
                parts.Add($"_offset={at}");
            }

            return string.Join('&', parts);
        }

        /// <summary>The refusal of a search this endpoint does not take (naming the parameter), or null with the search understood.</summary>
        public static IResult? Check(IQueryCollection query, out Search? search)
        {
            search = null;
            if (query.Keys.FirstOrDefault(k => !Parameters.Contains(k, StringComparer.Ordinal)) is { } unknown)
            {
                return Outcome(StatusCodes.Status400BadRequest, "not-supported", unknown,
                    $"The search parameter '{unknown}' is not supported here; this endpoint takes {string.Join(", ", Parameters)}.");
            }

            if (query.TryGetValue("_format", out var format) && !Formats.Contains(format.ToString(), StringComparer.Ordinal))
            {
                return Outcome(StatusCodes.Status400BadRequest, "not-supported", "_format", "Only JSON (application/fhir+json) is served.");
            }

            var subjects = query["subject"].Concat(query["patient"]).OfType<string>().ToList();
            if (subjects.Count != 1)
            {
                return Outcome(StatusCodes.Status400BadRequest, "required", "subject",
                    "Name exactly one patient: subject=Patient/{id} (or patient={id}); grades are searched per patient.");
            }

            var patientId = subjects[0].StartsWith("Patient/", StringComparison.Ordinal) ? subjects[0]["Patient/".Length..] : subjects[0];
            if (patientId.Length is 0 or > 64 || patientId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '/'))
            {
                return Outcome(StatusCodes.Status400BadRequest, "invalid", "subject", "The patient is Patient/{id} with a pseudonymous id of 1-64 characters, no spaces or slashes.");
            }

            var tokens = query["code"].OfType<string>().SelectMany(c => c.Split(',')).Where(t => t.Length > 0).ToList();
            var codes = tokens.Select(GradeObservations.CodeOf).OfType<string>().ToHashSet(StringComparer.Ordinal);

            var updated = new List<(string, TimeRange)>();
            foreach (var value in query["_lastUpdated"].OfType<string>())
            {
                if (TimeRange.Parse(value) is not { } range)
                {
                    return Outcome(StatusCodes.Status400BadRequest, "invalid", "_lastUpdated",
                        $"'{value}' is not a FHIR date search value: an optional prefix (eq, gt, ge, lt, le) and a date or a date-time with its offset.");
                }

                updated.Add((value, range));
            }

            var count = DefaultCount;
            if (query.TryGetValue("_count", out var countText)
                && (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > MaxCount))
            {
                return Outcome(StatusCodes.Status400BadRequest, "invalid", "_count", $"_count is a whole number from 1 to {MaxCount}.");
            }

            var offset = 0;
            if (query.TryGetValue("_offset", out var offsetText) && !int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                return Outcome(StatusCodes.Status400BadRequest, "invalid", "_offset", "_offset is a whole number, as the next link gives it.");
            }

            search = new Search(patientId, codes, tokens, updated, count, offset);
            return null;
        }
    }
}

/// <summary>
/// A FHIR date search value (prefix eq, gt, ge, lt, le; a date, or a date-time with its offset) as the set of instants
/// it matches: its value is the range its precision implies (a day, a second, a millisecond), and the prefix compares
/// with that range (R4 search, "date").
/// </summary>
internal sealed record TimeRange(DateTimeOffset? From, DateTimeOffset? Before)
{
    private static readonly string[] Prefixes = ["eq", "gt", "ge", "lt", "le"];

    public bool Contains(DateTimeOffset time) => (From is null || time >= From) && (Before is null || time < Before);

    public static TimeRange? Parse(string value)
    {
        var prefix = value.Length > 2 && Prefixes.Contains(value[..2], StringComparer.Ordinal) ? value[..2] : "eq";
        var text = value.Length > 2 && Prefixes.Contains(value[..2], StringComparer.Ordinal) ? value[2..] : value;
        if (Interval(text) is not (var low, var high))
        {
            return null;
        }

        return prefix switch
        {
            "gt" => new TimeRange(high, null),
            "ge" => new TimeRange(low, null),
            "lt" => new TimeRange(null, low),
            "le" => new TimeRange(null, high),
            _ => new TimeRange(low, high),
        };
    }

    private static (DateTimeOffset Low, DateTimeOffset High)? Interval(string text)
    {
        if (text.Length == 10 && DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day, TimeSpan.Zero);
            return (start, start.AddDays(1));
        }

        var hasOffset = text.EndsWith('Z') || (text.Length > 19 && (text[^6] is '+' or '-'));
        if (!hasOffset || !text.Contains('T', StringComparison.Ordinal)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return null;
        }

        var fraction = text.Contains('.', StringComparison.Ordinal);
        return (time, time + (fraction ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromSeconds(1)));
    }
}
