using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Toxicity.Testing;
using Xunit;
using Task = System.Threading.Tasks.Task;

namespace Toxicity.Ingestion.Service.Tests;

/// <summary>
/// FHIR R4 as a real feed sends it: the official vital-signs examples, the vital signs panel in a Bundle, neuro
/// assessments and MedicationAdministration in the project's code systems, and the CapabilityStatement, on the real broker.
/// </summary>
[Collection(IngestionCollection.Name)]
public sealed class FhirR4Tests(IngestionFixture ingestion)
{
    private const string FhirJson = "application/fhir+json";
    private const string ExamplePatient = "example";
    private const string NeuroSystem = "https://toxicity.dev/fhir/CodeSystem/neuro-assessment";
    private const string TreatmentSystem = "https://toxicity.dev/fhir/CodeSystem/treatment";

    private static readonly Lazy<Validator> Validator = new(() =>
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(resolver, new LocalTerminologyService(resolver));
    });

    private static JsonObject Example(string name, bool withTime = false)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "tests", "Toxicity.Ingestion.Service.Tests", "FhirExamples", name));
        var example = JsonNode.Parse(text)!.AsObject();
        if (withTime)
        {
            // Given a time, an example is posted again by several tests: without its id, so that each post is new.
            example.Remove("id");
            if (example["effectiveDateTime"]?.GetValue<string>() is { Length: 10 } date)
            {
                example["effectiveDateTime"] = date + "T08:30:00Z";
            }
        }

        return example;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, string? MediaType)> PostAsync(string path, JsonNode resource, ApiKey? key = null)
    {
        using var http = ingestion.Client(key ?? ingestion.Ward);
        using var content = new StringContent(resource.ToJsonString(), Encoding.UTF8, FhirJson);
        using var response = await http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response.Content.Headers.ContentType?.MediaType);
    }

    private static IEnumerable<(string Expression, string Diagnostics)> Issues(JsonElement outcome) =>
        outcome.GetProperty("issue").EnumerateArray().Select(i => (i.GetProperty("expression")[0].GetString()!, i.GetProperty("diagnostics").GetString()!));

    private async Task AdmitExamplePatientAsync()
    {
        await ingestion.AdmitAsync(ExamplePatient);
        await ingestion.PublishedSinceLastCheckAsync();
    }

    [Theory]
    [InlineData("observation-example-vitals-panel.json", 422, "Observation.code", "Bundle")]
    [InlineData("observation-example-respiratory-rate.json", 400, "Observation.effective", "with a time and its offset")]
    [InlineData("observation-example-heart-rate.json", 400, "Observation.effective", "with a time and its offset")]
    [InlineData("observation-example-body-temperature.json", 400, "Observation.effective", "with a time and its offset")]
    [InlineData("observation-example-bloodpressure.json", 400, "Observation.effective", "with a time and its offset")]
    [InlineData("observation-example-bloodpressure-dar.json", 400, "Observation.effective", "with a time and its offset")]
    [InlineData("observation-example-body-height.json", 400, "Observation.code", "LOINC 8302-2 is not a vital sign")]
    [InlineData("observation-example-head-circumference.json", 400, "Observation.code", "LOINC 9843-4 is not a vital sign")]
    [InlineData("observation-example.json", 400, "Observation.code", "LOINC 29463-7")]
    [InlineData("observation-example-bmi.json", 400, "Observation.code", "LOINC 39156-5 is not a vital sign")]
    public async Task An_official_R4_vital_signs_example_refused_is_answered_with_an_OperationOutcome_naming_why(string file, int status, string expression, string why)
    {
        await AdmitExamplePatientAsync();

        var (answer, body, mediaType) = await PostAsync("fhir/r4/Observation", Example(file));

        Assert.Equal((status, FhirJson, "OperationOutcome"), ((int)answer, mediaType, body.GetProperty("resourceType").GetString()));
        Assert.Contains(Issues(body), i => i.Expression == expression && i.Diagnostics.Contains(why, StringComparison.Ordinal));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task The_official_R4_oxygen_saturation_example_with_its_LOINC_and_MDC_codes_is_recorded()
    {
        await AdmitExamplePatientAsync();

        var (status, body, _) = await PostAsync("fhir/r4/Observation", Example("observation-example-satO2.json"));

        Assert.Equal(HttpStatusCode.Created, status);
        var recorded = Assert.Single(await ingestion.PublishedSinceLastCheckAsync());
        Assert.Equal((ExamplePatient, 95), (recorded.GetProperty("patientId").GetString(), recorded.GetProperty("spO2Percent").GetInt32()));
        Assert.Equal(DateTimeOffset.Parse("2014-12-05T09:30:10+01:00", System.Globalization.CultureInfo.InvariantCulture), recorded.GetProperty("observedAt").GetDateTimeOffset());
        Assert.Equal("information", body.GetProperty("issue")[0].GetProperty("severity").GetString());
    }

    [Theory]
    [InlineData("observation-example-respiratory-rate.json", "respiratoryRatePerMin", 26.0)]
    [InlineData("observation-example-heart-rate.json", "heartRatePerMin", 44.0)]
    [InlineData("observation-example-body-temperature.json", "temperatureC", 36.5)]
    [InlineData("observation-example-bloodpressure.json", "systolicMmHg", 107.0)]
    [InlineData("observation-example-bloodpressure-dar.json", "systolicMmHg", 107.0)]
    public async Task The_official_vital_sign_examples_given_a_time_are_recorded_as_the_profile_defines_them(string file, string field, double value)
    {
        await AdmitExamplePatientAsync();

        var (status, _, _) = await PostAsync("fhir/r4/Observation", Example(file, withTime: true));

        Assert.Equal(HttpStatusCode.Created, status);
        var recorded = Assert.Single(await ingestion.PublishedSinceLastCheckAsync());
        Assert.Equal(value, recorded.GetProperty(field).GetDouble());
        if (file.EndsWith("-dar.json", StringComparison.Ordinal))
        {
            // The diastolic component carries dataAbsentReason: nothing is recorded for it.
            Assert.Equal(JsonValueKind.Null, recorded.GetProperty("diastolicMmHg").ValueKind);
        }
    }

    [Fact]
    public async Task The_official_vital_signs_panel_in_a_transaction_with_its_members_records_each_member()
    {
        await AdmitExamplePatientAsync();
        var members = new[] { "respiratory-rate", "heart-rate", "bloodpressure", "body-temperature" }
            .Select(m => Example($"observation-example-{m}.json", withTime: true)).ToList();
        var panel = Example("observation-example-vitals-panel.json", withTime: true);
        var bundle = Bundle("transaction", [panel, .. members]);

        // The example's hasMember references (Observation/heart-rate …) point at the members' entries of this Bundle.
        var entries = bundle["entry"]!.AsArray();
        var references = panel["hasMember"]!.AsArray();
        for (var i = 0; i < references.Count; i++)
        {
            references[i]!["reference"] = entries[i + 1]!["fullUrl"]!.GetValue<string>();
        }

        var (status, body, _) = await PostAsync("fhir/r4", bundle);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["200 OK", "201 Created", "201 Created", "201 Created", "201 Created"],
            body.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("response").GetProperty("status").GetString()));
        var published = await ingestion.PublishedSinceLastCheckAsync();
        Assert.Equal([26, 44, 107, 36.5], published.Select(e => e.GetProperty(e.GetProperty("respiratoryRatePerMin").ValueKind == JsonValueKind.Number ? "respiratoryRatePerMin"
            : e.GetProperty("heartRatePerMin").ValueKind == JsonValueKind.Number ? "heartRatePerMin"
            : e.GetProperty("systolicMmHg").ValueKind == JsonValueKind.Number ? "systolicMmHg" : "temperatureC").GetDouble()));
    }

    [Fact]
    public async Task A_panel_whose_member_is_not_in_the_Bundle_fails_the_transaction_naming_the_member_and_nothing_is_published()
    {
        await AdmitExamplePatientAsync();
        var heartRate = Example("observation-example-heart-rate.json", withTime: true);
        heartRate["id"] = "heart-rate"; // the one member the panel's hasMember (Observation/heart-rate) finds
        var bundle = Bundle("transaction", [Example("observation-example-vitals-panel.json", withTime: true), heartRate]);

        var (status, body, _) = await PostAsync("fhir/r4", bundle);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(["Bundle.entry[0].resource.hasMember[0]", "Bundle.entry[0].resource.hasMember[2]", "Bundle.entry[0].resource.hasMember[3]"],
            Issues(body).Select(i => i.Expression));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task An_Observation_claiming_the_vital_signs_profile_is_validated_against_it()
    {
        await AdmitExamplePatientAsync();
        var example = Example("observation-example-heart-rate.json", withTime: true);
        example.Remove("category"); // the profile requires the vital-signs category

        var (status, body, _) = await PostAsync("fhir/r4/Observation", example);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(Issues(body), i => i.Diagnostics.StartsWith("FHIR R4 vital-signs profile:", StringComparison.Ordinal));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    private JsonObject Neuro(params JsonObject[] components) => new()
    {
        ["resourceType"] = "Observation",
        ["status"] = "final",
        ["category"] = new JsonArray(new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/observation-category", ["code"] = "exam" }) }),
        ["code"] = Coded(NeuroSystem, "neuroAssessment"),
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{ingestion.MarkerPatient}" },
        ["effectiveDateTime"] = DateTimeOffset.UtcNow.AddMinutes(-3).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
        ["component"] = new JsonArray([.. components]),
    };

    private static JsonObject Coded(string system, string code) => new() { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code }) };

    private static JsonObject Component(string code, string valueKind, JsonNode value) => new() { ["code"] = Coded(NeuroSystem, code), [valueKind] = value };

    [Fact]
    public async Task A_neuro_assessment_Observation_in_the_project_code_system_is_recorded_as_the_JSON_API_records_it()
    {
        var (status, _, _) = await PostAsync("fhir/r4/Observation", Neuro(
            Component("iceScore", "valueInteger", 6),
            Component("consciousness", "valueCodeableConcept", Coded(NeuroSystem, "consciousness.awakensToVoice")),
            Component("seizure", "valueCodeableConcept", Coded(NeuroSystem, "seizure.none")),
            Component("sedated", "valueBoolean", false)));

        Assert.Equal(HttpStatusCode.Created, status);
        var recorded = Assert.Single(await ingestion.PublishedSinceLastCheckAsync());
        Assert.Equal((6, "awakensToVoice", "none", false), (recorded.GetProperty("iceScore").GetInt32(), recorded.GetProperty("consciousness").GetString(),
            recorded.GetProperty("seizure").GetString(), recorded.GetProperty("sedated").GetBoolean()));
    }

    [Theory]
    [InlineData("iceScore", "valueInteger", "12", "Observation.component[0].value", "between 0 and 10")]
    [InlineData("consciousness", "valueCodeableConcept", "dozy", "Observation.component[0].value", "must be one of")]
    [InlineData("ice.namedObjects", "valueInteger", "2", "Observation.component[0].value", "is required")]
    public async Task A_bad_neuro_assessment_is_refused_naming_the_component(string code, string kind, string value, string expression, string why)
    {
        JsonNode node = kind == "valueInteger" ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : Coded(NeuroSystem, $"consciousness.{value}");

        var (status, body, _) = await PostAsync("fhir/r4/Observation", Neuro(Component(code, kind, node)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(Issues(body), i => (i.Expression == expression || code.StartsWith("ice.", StringComparison.Ordinal)) && i.Diagnostics.Contains(why, StringComparison.Ordinal));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    public static JsonObject Treatment(string patient, string kind, string drug, double dose, string unit, string route, DateTimeOffset at, string? id = null)
    {
        var administration = NewTreatment(patient, kind, drug, dose, unit, route, at);
        if (id is not null)
        {
            administration["id"] = id;
        }

        return administration;
    }

    private static JsonObject NewTreatment(string patient, string kind, string drug, double dose, string unit, string route, DateTimeOffset at) => new()
    {
        ["resourceType"] = "MedicationAdministration",
        ["status"] = "completed",
        ["category"] = Coded(TreatmentSystem, $"kind.{kind}"),
        ["medicationCodeableConcept"] = Coded(TreatmentSystem, $"drug.{drug}"),
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
        ["effectiveDateTime"] = at.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
        ["dosage"] = new JsonObject
        {
            ["route"] = Coded(TreatmentSystem, $"route.{route}"),
            ["dose"] = new JsonObject { ["value"] = dose, ["unit"] = unit, ["system"] = "http://unitsofmeasure.org", ["code"] = unit },
        },
    };

    [Fact]
    public async Task A_MedicationAdministration_is_recorded_as_a_treatment_once_under_its_id()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var dose = Treatment(ingestion.MarkerPatient, "bispecificDose", "epcoritamab", 0.16, "mg", "SC", at, id: Guid.NewGuid().ToString("N"));

        var (status, _, _) = await PostAsync("fhir/r4/MedicationAdministration", dose);
        var (again, _, _) = await PostAsync("fhir/r4/MedicationAdministration", dose);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (status, again));
        var recorded = Assert.Single(await ingestion.PublishedSinceLastCheckAsync());
        Assert.Equal(("bispecificDose", "epcoritamab", 0.16, "mg", "SC"), (recorded.GetProperty("kind").GetString(), recorded.GetProperty("drug").GetString(),
            recorded.GetProperty("dose").GetDouble(), recorded.GetProperty("doseUnit").GetString(), recorded.GetProperty("route").GetString()));
    }

    [Theory]
    [InlineData("bispecificDose", "paracetamol", "mg", "MedicationAdministration.medication")]
    [InlineData("steroid", "dexamethasone", "mg", "MedicationAdministration.category")]
    [InlineData("corticosteroid", "dexamethasone", "g", "MedicationAdministration.dosage.dose.code")]
    public async Task A_bad_MedicationAdministration_is_refused_naming_the_element(string kind, string drug, string unit, string expression)
    {
        var (status, body, _) = await PostAsync("fhir/r4/MedicationAdministration", Treatment(ingestion.MarkerPatient, kind, drug, 8, unit, "IV", DateTimeOffset.UtcNow.AddMinutes(-1)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(Issues(body), i => i.Expression == expression);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task The_CapabilityStatement_is_open_valid_R4_and_lists_exactly_what_is_taken()
    {
        using var http = ingestion.Client(); // no key: metadata is public
        using var response = await http.GetAsync("fhir/r4/metadata");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal((HttpStatusCode.OK, FhirJson), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
        var statement = new FhirJsonDeserializer().Deserialize<CapabilityStatement>(text);
        var outcome = Validator.Value.Validate(statement);
        Assert.True(outcome.Success, outcome.ToString());
        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
        var rest = Assert.Single(statement.Rest);
        Assert.Equal([("CodeSystem", "read"), ("MedicationAdministration", "create"), ("Observation", "create")],
            rest.Resource.SelectMany(r => r.Interaction.Select(i => (r.Type, i.Code!.Value.ToString().ToLowerInvariant()))).Order());
        Assert.Equal(["batch", "transaction"], rest.Interaction.Select(i => i.Code!.Value.ToString().ToLowerInvariant()).Order());
        Assert.Equal(["http://hl7.org/fhir/StructureDefinition/vitalsigns"], rest.Resource.Single(r => r.Type == "Observation").SupportedProfile);
    }

    [Theory]
    [InlineData("neuro-assessment")]
    [InlineData("treatment")]
    public async Task The_project_code_systems_are_served_valid_and_as_published_in_docs_fhir(string id)
    {
        using var http = ingestion.Client();
        var served = await http.GetStringAsync($"fhir/r4/CodeSystem/{id}");
        var published = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "fhir", $"CodeSystem-{id}.json"));

        var codeSystem = new FhirJsonDeserializer().Deserialize<CodeSystem>(served);
        Assert.True(Validator.Value.Validate(codeSystem).Success);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(published), JsonNode.Parse(served)), $"docs/fhir/CodeSystem-{id}.json differs from what is served:\n{served}");
    }

    private static JsonObject Bundle(string type, IEnumerable<JsonObject> resources) => new()
    {
        ["resourceType"] = "Bundle",
        ["type"] = type,
        ["entry"] = new JsonArray([.. resources.Select(r => new JsonObject
        {
            ["fullUrl"] = $"urn:uuid:{Guid.NewGuid()}",
            ["resource"] = r,
            ["request"] = new JsonObject { ["method"] = "POST", ["url"] = r["resourceType"]!.GetValue<string>() },
        })]),
    };
}
