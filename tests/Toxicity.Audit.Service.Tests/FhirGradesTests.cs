using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;
using Task = System.Threading.Tasks.Task;

namespace Toxicity.Audit.Service.Tests;

/// <summary>
/// The EHR's read of the grades (<c>/fhir/r4/Observation</c> on Audit, docs/fhir-grades.md): Grading as a process on
/// a real broker grades a course, and the search answers exactly the grade changes it published (as Audit's own export
/// lists them), each an Observation that Firely's R4 validator accepts, paged, filtered, read by id, and recorded.
/// </summary>
public sealed class FhirGradesTests : AuditProcess
{
    private const string GradeSystem = "https://toxicity.dev/fhir/CodeSystem/toxicity-grade";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly Lazy<Validator> Validator = new(() =>
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(resolver, new LocalTerminologyService(resolver));
    });

    private readonly ApiKey _clinician = new("ehr-clinician", "clinician");
    private readonly ApiKey _ward = new("ward-system-7", "ward-system");

    protected override IEnumerable<KeyValuePair<string, string>> Settings() => _clinician.Settings(1).Concat(_ward.Settings(2));

    [Fact]
    public async Task The_search_answers_exactly_the_published_grade_changes_of_a_course_as_valid_FHIR()
    {
        await using var grading = new ServiceProcess("Grading", Broker.AmqpUri);
        await grading.StartAsync();
        var patient = AuditTests.Patient();
        var now = DateTimeOffset.UtcNow.AddHours(-1);
        var fever = AuditTests.Vitals(patient, now.AddMinutes(10), 38.9);
        var hypotensive = AuditTests.Vitals(patient, now.AddMinutes(20), 38.7) with { Hypotensive = true, SystolicMmHg = 84 };
        var drowsy = new NeuroAssessmentRecorded(Guid.NewGuid(), patient, now.AddMinutes(30), now.AddMinutes(30), 5, null, "awakensToVoice", "none", "none", "none");
        await Events.PublishAsync(
            new PatientAdmitted(Guid.NewGuid(), patient, now, now, 58, 72.5, 174, 1.87, "DLBCL", "haem-3", null),
            AuditTests.Vitals(patient, now.AddMinutes(1), 36.8), fever, hypotensive, drowsy);

        // What Grading published, as Audit's own export lists it: the truth the search must answer.
        using var auditor = Audit.CreateClient(Auditor);
        var published = await Eventually.That(
            async () => (await auditor.GetStringAsync($"api/v1/audit/events?patientId={patient}&types=CrsGradeChanged,IcansGradeChanged,CtcaeCrsGradeChanged"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList(),
            lines => lines.Count(l => l.GetProperty("type").GetString()!.EndsWith(":CrsGradeChanged", StringComparison.Ordinal)) >= 2
                && lines.Any(l => l.GetProperty("type").GetString()!.EndsWith(":IcansGradeChanged", StringComparison.Ordinal)),
            Deadline, "Grading's CRS 0→1→2 and ICANS changes in the audit log");

        using var clinician = Audit.CreateClient(_clinician);
        var bundle = await SearchAsync(clinician, $"fhir/r4/Observation?subject=Patient/{patient}");
        Validate(bundle);
        var entries = bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).ToList();
        Assert.Equal(published.Count, bundle["total"]!.GetValue<int>());
        Assert.Equal(published.Select(p => p.GetProperty("eventId").GetGuid().ToString()), entries.Select(o => o["id"]!.GetValue<string>()));
        Assert.Equal(published.Select(p => p.GetProperty("event").GetProperty("newGrade").GetInt32()), entries.Select(o => o["valueInteger"]!.GetValue<int>()));
        Assert.Equal(published.Select(p => Code(p.GetProperty("type").GetString()!)), entries.Select(o => o["code"]!["coding"]![0]!["code"]!.GetValue<string>()));

        // The rise to CRS 1: from the fever, at its clinical time, under the live rule set, exact, with its criterion.
        var first = entries[0];
        Assert.Equal(("astct-crs-grade", 1, "final"), (first["code"]!["coding"]![0]!["code"]!.GetValue<string>(), first["valueInteger"]!.GetValue<int>(), first["status"]!.GetValue<string>()));
        Assert.Equal($"Observation/{fever.EventId}", first["derivedFrom"]![0]!["reference"]!.GetValue<string>());
        Assert.Equal($"Patient/{patient}", first["subject"]!["reference"]!.GetValue<string>());
        Assert.Equal(fever.ObservedAt, DateTimeOffset.Parse(first["effectiveDateTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(1));
        Assert.Equal("astct-2019/2", first["method"]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(published[0].GetProperty("event").GetProperty("lowerBound").GetBoolean(), Mark(first, "lower-bound"));
        Assert.Contains("crs.fever", Criteria(first));
        Assert.Equal(published[0].GetProperty("event").GetProperty("criteria").EnumerateArray().Select(c => c.GetString()), Criteria(first));

        // Paged one by one through the next links: the same Observations in the same order, then no next link.
        var paged = new List<string>();
        var next = $"fhir/r4/Observation?subject=Patient/{patient}&_count=1";
        while (next is not null)
        {
            var page = await SearchAsync(clinician, next);
            paged.AddRange(page["entry"]!.AsArray().Select(e => e!["resource"]!["id"]!.GetValue<string>()));
            next = page["link"]!.AsArray().FirstOrDefault(l => l!["relation"]!.GetValue<string>() == "next")?["url"]!.GetValue<string>();
            Assert.True(paged.Count <= published.Count, "the next links page on for ever");
        }

        Assert.Equal(entries.Select(o => o["id"]!.GetValue<string>()), paged);

        // By code (with or without the system), by when published, and another system's code matching nothing.
        var icans = await SearchAsync(clinician, $"fhir/r4/Observation?patient={patient}&code={Uri.EscapeDataString(GradeSystem + "|astct-icans-grade")}");
        Assert.Equal(entries.Where(o => o["code"]!["coding"]![0]!["code"]!.GetValue<string>() == "astct-icans-grade").Select(o => o["id"]!.GetValue<string>()),
            icans["entry"]!.AsArray().Select(e => e!["resource"]!["id"]!.GetValue<string>()));
        Assert.Equal(entries.Count(o => o["code"]!["coding"]![0]!["code"]!.GetValue<string>() != "astct-icans-grade"),
            (await SearchAsync(clinician, $"fhir/r4/Observation?subject={patient}&code=astct-crs-grade,ctcae-crs-grade"))["total"]!.GetValue<int>());
        Assert.Equal(0, (await SearchAsync(clinician, $"fhir/r4/Observation?subject={patient}&code=http://loinc.org|8310-5"))["total"]!.GetValue<int>());
        var later = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, (await SearchAsync(clinician, $"fhir/r4/Observation?subject={patient}&_lastUpdated=gt{later}"))["total"]!.GetValue<int>());
        Assert.Equal(published.Count, (await SearchAsync(clinician, $"fhir/r4/Observation?subject={patient}&_lastUpdated=lt{later}&_lastUpdated=ge{now.AddHours(-1):yyyy-MM-dd}"))["total"]!.GetValue<int>());

        // Read by id: the same Observation; an unknown id is an OperationOutcome.
        using (var read = await clinician.GetAsync($"fhir/r4/Observation/{first["id"]!.GetValue<string>()}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("application/fhir+json", read.Content.Headers.ContentType?.MediaType);
            Assert.True(JsonNode.DeepEquals(first, JsonNode.Parse(await read.Content.ReadAsStringAsync())));
        }

        Assert.Equal(("not-found", "id"), await OutcomeAsync(clinician, $"fhir/r4/Observation/{Guid.NewGuid()}", HttpStatusCode.NotFound));

        // Every search and read is in the signed log, under the credential that asked.
        var requests = await Eventually.That(
            async () => (await auditor.GetStringAsync($"api/v1/audit/events?patientId={patient}&types=AuditRequested"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event").Clone()).ToList(),
            r => r.Any(e => e.GetProperty("action").GetString() == "fhir-read"), Deadline, "the FHIR read recorded in the log");
        Assert.Contains(requests, r => r.GetProperty("action").GetString() == "fhir-search" && r.GetProperty("auditor").GetString() == _clinician.Name);
        Assert.Contains(requests, r => r.GetProperty("action").GetString() == "fhir-read");
    }

    [Fact]
    public async Task Bad_searches_are_answered_with_an_OperationOutcome_naming_the_parameter_and_only_clinicians_and_auditors_may_search()
    {
        using var clinician = Audit.CreateClient(_clinician);
        Assert.Equal(("required", "subject"), await OutcomeAsync(clinician, "fhir/r4/Observation", HttpStatusCode.BadRequest));
        Assert.Equal(("required", "subject"), await OutcomeAsync(clinician, "fhir/r4/Observation?subject=a&patient=b", HttpStatusCode.BadRequest));
        Assert.Equal(("invalid", "subject"), await OutcomeAsync(clinician, "fhir/r4/Observation?subject=Patient/a%20b", HttpStatusCode.BadRequest));
        Assert.Equal(("invalid", "_count"), await OutcomeAsync(clinician, "fhir/r4/Observation?subject=p-1&_count=0", HttpStatusCode.BadRequest));
        Assert.Equal(("invalid", "_count"), await OutcomeAsync(clinician, "fhir/r4/Observation?subject=p-1&_count=101", HttpStatusCode.BadRequest));
        Assert.Equal(("invalid", "_lastUpdated"), await OutcomeAsync(clinician, "fhir/r4/Observation?subject=p-1&_lastUpdated=yesterday", HttpStatusCode.BadRequest));
        Assert.Equal(("invalid", "_lastUpdated"), await OutcomeAsync(clinician, "fhir/r4/Observation?subject=p-1&_lastUpdated=ge2026-12-01T10:00:00", HttpStatusCode.BadRequest));
        Assert.Equal(("not-supported", "_sort"), await OutcomeAsync(clinician, "fhir/r4/Observation?subject=p-1&_sort=-date", HttpStatusCode.BadRequest));
        Assert.Equal(("not-supported", "_format"), await OutcomeAsync(clinician, "fhir/r4/Observation?subject=p-1&_format=xml", HttpStatusCode.BadRequest));

        using var nobody = Audit.CreateClient();
        using var ward = Audit.CreateClient(_ward);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync("fhir/r4/Observation?subject=p-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ward.GetAsync("fhir/r4/Observation?subject=p-1")).StatusCode);
        using var auditor = Audit.CreateClient(Auditor);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("fhir/r4/Observation?subject=p-1")).StatusCode);
    }

    [Fact]
    public async Task The_CapabilityStatement_and_the_code_systems_are_valid_R4_and_the_code_systems_are_those_published_in_docs()
    {
        using var nobody = Audit.CreateClient();
        var statement = JsonNode.Parse(await nobody.GetStringAsync("fhir/r4/metadata"))!;
        Validate(statement);
        Assert.Equal(["read", "search-type"], statement["rest"]![0]!["resource"]![0]!["interaction"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()));
        foreach (var id in new[] { "toxicity-grade", "rule-set", "grading-criterion" })
        {
            var served = JsonNode.Parse(await nobody.GetStringAsync($"fhir/r4/CodeSystem/{id}"))!;
            Validate(served);
            var published = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "fhir", $"CodeSystem-{id}.json")));
            Assert.True(JsonNode.DeepEquals(published, served), $"docs/fhir/CodeSystem-{id}.json differs from what is served:\n{served}");
        }

        var ruleSets = JsonNode.Parse(await nobody.GetStringAsync("fhir/r4/CodeSystem/rule-set"))!["concept"]!.AsArray().Select(c => c!["code"]!.GetValue<string>());
        Assert.Equal(["astct-2019/1", "astct-2019/2", "ctcae-5.0-crs/1", "ctcae-5.0-crs/2"], ruleSets.Order(StringComparer.Ordinal));
    }

    private static async Task<JsonObject> SearchAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<(string Code, string Expression)> OutcomeAsync(HttpClient client, string path, HttpStatusCode status)
    {
        using var response = await client.GetAsync(path);
        var outcome = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(status, response.StatusCode);
        Validate(outcome);
        return (outcome["issue"]![0]!["code"]!.GetValue<string>(), outcome["issue"]![0]!["expression"]![0]!.GetValue<string>());
    }

    /// <summary>
    /// Parsed by Firely's R4 parser and validated against the R4 base: no error or fatal issue. The Subscriptions
    /// Backport IG's profiles are not in the packages served here (hl7.fhir.uv.subscriptions-backport is on
    /// packages.fhir.org only): their claims in meta.profile are taken out first, so the base R4 rules are checked.
    /// </summary>
    internal static void Validate(JsonNode resource)
    {
        var copy = JsonNode.Parse(resource.ToJsonString())!;
        WithoutBackportProfiles(copy);
        var parsed = new FhirJsonDeserializer().Deserialize<Resource>(copy.ToJsonString());
        var errors = Validator.Value.Validate(parsed).Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{string.Join(',', i.Expression)}: {i.Details?.Text ?? i.Diagnostics}").ToList();
        Assert.True(errors.Count == 0, $"{parsed.TypeName} not valid R4:\n{string.Join('\n', errors)}\n{resource.ToJsonString()}");
    }

    private static void WithoutBackportProfiles(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["meta"]?["profile"] is JsonArray profiles)
                {
                    foreach (var claim in profiles.Where(p => p!.GetValue<string>().StartsWith("http://hl7.org/fhir/uv/subscriptions-backport/", StringComparison.Ordinal)).ToList())
                    {
                        profiles.Remove(claim);
                    }

                    if (profiles.Count == 0)
                    {
                        o["meta"]!.AsObject().Remove("profile");
                        if (o["meta"]!.AsObject().Count == 0)
                        {
                            o.Remove("meta");
                        }
                    }
                }

                foreach (var (_, child) in o.ToList())
                {
                    WithoutBackportProfiles(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    WithoutBackportProfiles(child);
                }

                break;
        }
    }

    private static string Code(string wireType) => wireType[(wireType.IndexOf(':', StringComparison.Ordinal) + 1)..] switch
    {
        "CrsGradeChanged" => "astct-crs-grade",
        "IcansGradeChanged" => "astct-icans-grade",
        _ => "ctcae-crs-grade",
    };

    private static bool Mark(JsonObject observation, string code) =>
        observation["component"]!.AsArray().Single(c => c!["code"]!["coding"]![0]!["code"]!.GetValue<string>() == code)!["valueBoolean"]!.GetValue<bool>();

    private static List<string> Criteria(JsonObject observation) =>
        [.. observation["component"]!.AsArray().Where(c => c!["code"]!["coding"]![0]!["code"]!.GetValue<string>() == "criterion")
            .Select(c => c!["valueCodeableConcept"]!["coding"]![0]!["code"]!.GetValue<string>())];
}
