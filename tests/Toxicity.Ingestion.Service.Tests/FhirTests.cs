using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Ingestion.Service.Tests;

/// <summary>
/// FHIR R4: Observations and batch/transaction Bundles become VitalSignsRecorded events on the real broker, refusals
/// are OperationOutcomes naming the element, and a resource id is an idempotency key.
/// </summary>
[Collection(IngestionCollection.Name)]
public sealed class FhirTests(IngestionFixture ingestion)
{
    private const string FhirJson = "application/fhir+json";
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private static object Coding(params string[] codes) => new { coding = codes.Select(c => new { system = "http://loinc.org", code = c }).ToArray() };

    private static object Quantity(double value, string unit) => new { value, unit, system = "http://unitsofmeasure.org", code = unit };

    private object Observation(object code, object? value = null, object[]? components = null, string? id = null, string? patient = null, string status = "final", DateTimeOffset? at = null) => new
    {
        resourceType = "Observation",
        id,
        status,
        category = new[] { new { coding = new[] { new { system = "http://terminology.hl7.org/CodeSystem/observation-category", code = "vital-signs" } } } },
        code,
        subject = new { reference = $"Patient/{patient ?? ingestion.MarkerPatient}" },
        effectiveDateTime = (at ?? DateTimeOffset.UtcNow.AddMinutes(-2)).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
        valueQuantity = value,
        component = components,
    };

    private static object Component(string code, double value, string unit) => new { code = Coding(code), valueQuantity = Quantity(value, unit) };

    private static object Bundle(string type, params object[] observations) => new
    {
        resourceType = "Bundle",
        type,
        entry = observations.Select(o => new { fullUrl = $"urn:uuid:{Guid.NewGuid()}", resource = o, request = new { method = "POST", url = "Observation" } }).ToArray(),
    };

    private static string NewId() => Guid.NewGuid().ToString("N");

    private Task<Answer> PostAsync(string path, object resource) =>
        PostAsync(path, resource, ingestion.Ward);

    private async Task<Answer> PostAsync(string path, object resource, ApiKey? key)
    {
        using var http = ingestion.Client(key);
        using var content = new StringContent(JsonSerializer.Serialize(resource, Json), Encoding.UTF8, FhirJson);
        using var response = await http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(),
            response.Headers.Location?.OriginalString, response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<Guid> CreatedAsync(object observation)
    {
        var (status, body, location, mediaType) = await PostAsync("fhir/r4/Observation", observation);
        Assert.True(status == HttpStatusCode.Created, $"{(int)status}: {body}");
        Assert.Equal(FhirJson, mediaType);
        Assert.Equal("OperationOutcome", body.GetProperty("resourceType").GetString());
        Assert.Equal("information", body.GetProperty("issue")[0].GetProperty("severity").GetString());
        Assert.StartsWith("Observation/", location, StringComparison.Ordinal);
        return Guid.Parse(location!["Observation/".Length..]);
    }

    private static string Expression(JsonElement outcome, int issue = 0) =>
        outcome.GetProperty("issue")[issue].GetProperty("expression")[0].GetString()!;

    private static string Diagnostics(JsonElement outcome) =>
        string.Join(" | ", outcome.GetProperty("issue").EnumerateArray().Select(i => i.GetProperty("diagnostics").GetString()));

    private async Task<JsonElement> PublishedAsync(Guid eventId) =>
        Assert.Single(await ingestion.PublishedSinceLastCheckAsync(), e => e.GetProperty("eventId").GetGuid() == eventId);

    [Fact]
    public async Task A_temperature_in_Fahrenheit_is_published_in_Celsius_at_the_effective_time()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-7);
        var id = await CreatedAsync(Observation(Coding("8310-5"), Quantity(101.3, "[degF]"), id: NewId(), at: at));

        var published = await PublishedAsync(id);
        Assert.Equal(38.5, published.GetProperty("temperatureC").GetDouble());
        Assert.Equal(ingestion.MarkerPatient, published.GetProperty("patientId").GetString());
        Assert.Equal(at, published.GetProperty("observedAt").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_heart_rate_is_published()
    {
        var id = await CreatedAsync(Observation(Coding("8867-4"), Quantity(118, "/min")));

        var published = await PublishedAsync(id);
        Assert.Equal(118, published.GetProperty("heartRatePerMin").GetInt32());
        Assert.Equal(JsonValueKind.Null, published.GetProperty("temperatureC").ValueKind);
    }

    [Fact]
    public async Task A_blood_pressure_panel_is_published_with_systolic_and_diastolic()
    {
        var id = await CreatedAsync(Observation(Coding("85354-9"), components: [Component("8480-6", 86, "mm[Hg]"), Component("8462-4", 48, "mm[Hg]")]));

        var published = await PublishedAsync(id);
        Assert.Equal(86, published.GetProperty("systolicMmHg").GetInt32());
        Assert.Equal(48, published.GetProperty("diastolicMmHg").GetInt32());
    }

    [Fact]
    public async Task A_pulse_oximetry_with_an_oxygen_flow_component_is_published_with_both()
    {
        var id = await CreatedAsync(Observation(Coding("59408-5", "2708-6"), Quantity(91, "%"), components: [Component("3151-8", 4, "L/min")]));

        var published = await PublishedAsync(id);
        Assert.Equal(91, published.GetProperty("spO2Percent").GetInt32());
        Assert.Equal(4, published.GetProperty("oxygenFlowLPerMin").GetDouble());
    }

    [Fact]
    public async Task A_batch_records_its_good_entry_and_answers_400_with_the_element_for_its_bad_one()
    {
        var (status, body, _, _) = await PostAsync("fhir/r4", Bundle("batch",
            Observation(Coding("8867-4"), Quantity(95, "/min")),
            Observation(Coding("8867-4"), Quantity(96, "/min"), status: "bogus")));

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        Assert.Equal("batch-response", body.GetProperty("type").GetString());
        var entries = body.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("response")).ToArray();
        Assert.Equal(2, entries.Length);
        Assert.Equal("201 Created", entries[0].GetProperty("status").GetString());
        var good = Guid.Parse(entries[0].GetProperty("location").GetString()!["Observation/".Length..]);
        Assert.Equal("400 Bad Request", entries[1].GetProperty("status").GetString());
        Assert.Equal("Bundle.entry[1].resource.status", Expression(entries[1].GetProperty("outcome")));

        var published = Assert.Single(await ingestion.PublishedSinceLastCheckAsync());
        Assert.Equal(good, published.GetProperty("eventId").GetGuid());
        Assert.Equal(95, published.GetProperty("heartRatePerMin").GetInt32());
    }

    [Fact]
    public async Task A_transaction_with_one_bad_entry_publishes_nothing_and_names_the_entry()
    {
        var (status, body, _, _) = await PostAsync("fhir/r4", Bundle("transaction",
            Observation(Coding("8867-4"), Quantity(95, "/min")),
            Observation(Coding("9279-1"), Quantity(24, "/h"))));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Bundle.entry[1].resource.value.code", Expression(body));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task A_good_transaction_publishes_every_entry()
    {
        var (status, body, _, _) = await PostAsync("fhir/r4", Bundle("transaction",
            Observation(Coding("8867-4"), Quantity(101, "/min")),
            Observation(Coding("9279-1"), Quantity(22, "/min"))));

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        Assert.Equal("transaction-response", body.GetProperty("type").GetString());
        var ids = body.GetProperty("entry").EnumerateArray().Select(e => Guid.Parse(e.GetProperty("response").GetProperty("location").GetString()!["Observation/".Length..])).ToArray();
        var published = await ingestion.PublishedSinceLastCheckAsync();
        Assert.Equal(ids.Order(), published.Select(e => e.GetProperty("eventId").GetGuid()).Order());
    }

    [Theory]
    [InlineData("2339-0", 5.4, "mmol/L", "Observation.code", "2339-0")] // glucose: not a vital sign we take
    [InlineData("8867-4", 2, "/s", "Observation.value.code", "'/s'")] // heart rate must be /min
    [InlineData("8310-5", 38.5, "[degF]", "Observation.value.value", "check the unit")] // °C sent as °F (CLINICAL-RULES.md §6.2)
    public async Task A_code_or_unit_not_accepted_is_refused_by_name(string code, double value, string unit, string expression, string named)
    {
        var (status, body, _, _) = await PostAsync("fhir/r4/Observation", Observation(Coding(code), Quantity(value, unit)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", body.GetProperty("issue")[0].GetProperty("severity").GetString());
        Assert.Equal(expression, Expression(body));
        Assert.Contains(named, Diagnostics(body), StringComparison.Ordinal);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task An_observation_of_a_patient_not_admitted_is_refused_with_422()
    {
        var (status, body, _, _) = await PostAsync("fhir/r4/Observation", Observation(Coding("8867-4"), Quantity(90, "/min"), patient: "never-admitted"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Observation.subject", Expression(body));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task The_same_observation_id_is_published_once_and_answered_the_same_even_after_a_restart()
    {
        var resourceId = NewId();
        var observation = Observation(Coding("8867-4"), Quantity(104, "/min"), id: resourceId, at: DateTimeOffset.UtcNow.AddMinutes(-3));

        var first = await CreatedAsync(observation);
        Assert.Equal(first, await CreatedAsync(observation));
        await PublishedAsync(first);

        await ingestion.RestartAsync();
        Assert.Equal(first, await CreatedAsync(observation));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());

        var (status, body, _, _) = await PostAsync("fhir/r4/Observation", Observation(Coding("8867-4"), Quantity(140, "/min"), id: resourceId));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Observation.id", Expression(body));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task Only_a_ward_system_may_post()
    {
        var observation = Observation(Coding("8867-4"), Quantity(90, "/min"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("fhir/r4/Observation", observation, key: null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("fhir/r4/Observation", observation, ingestion.Clinician)).Status);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task Broker_down_gives_an_OperationOutcome_503_with_Retry_After_and_the_resent_Observation_is_recorded_once()
    {
        var observation = Observation(Coding("8867-4"), Quantity(131, "/min"), id: NewId());

        using var http = ingestion.Client(ingestion.Ward);
        await ingestion.Proxy.CutAsync();
        HttpResponseMessage refused;
        try
        {
            using var content = new StringContent(JsonSerializer.Serialize(observation, Json), Encoding.UTF8, FhirJson);
            refused = await http.PostAsync("fhir/r4/Observation", content);
        }
        finally
        {
            ingestion.Proxy.Open();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal("OperationOutcome", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("resourceType").GetString());
        refused.Dispose();

        var accepted = await Eventually.That(() => PostAsync("fhir/r4/Observation", observation), a => a.Status == HttpStatusCode.Created,
            TimeSpan.FromSeconds(60), "the resent Observation is recorded once the broker is back");
        var eventId = Guid.Parse(accepted.Location!["Observation/".Length..]);
        var published = await ingestion.PublishedSinceLastCheckAsync();
        Assert.NotEmpty(published);
        Assert.All(published, e => Assert.Equal(eventId, e.GetProperty("eventId").GetGuid()));
    }

    private sealed record Answer(HttpStatusCode Status, JsonElement Body, string? Location, string? MediaType);
}
