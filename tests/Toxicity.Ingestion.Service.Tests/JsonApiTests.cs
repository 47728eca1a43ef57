using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Toxicity.Ingestion.Service.Tests;

/// <summary>The JSON API's happy paths: each resource is published once, with what was sent, after the broker confirmed.</summary>
[Collection(IngestionCollection.Name)]
public sealed class JsonApiTests(IngestionFixture ingestion)
{
    private static async Task<Guid> AcceptedIdAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("eventId").GetGuid();
    }

    private async Task<JsonElement> PublishedAsync(Guid eventId) =>
        Assert.Single(await ingestion.PublishedSinceLastCheckAsync(), e => e.GetProperty("eventId").GetGuid() == eventId);

    [Fact]
    public async Task Admitting_a_patient_publishes_PatientAdmitted_and_an_update_publishes_PatientDetailsUpdated_with_death()
    {
        var patient = $"adm-{Guid.NewGuid():N}"[..16];
        using var http = ingestion.Client(ingestion.Ward);

        var admitted = await AcceptedIdAsync(await http.PutAsJsonAsync($"api/v1/patients/{patient}",
            new { ageYears = 9.5, weightKg = 28.4, heightCm = 131, bodySurfaceAreaM2 = 1.02, diagnosis = "B-ALL", ward = "PICU" }));
        var first = await PublishedAsync(admitted);
        Assert.Equal(patient, first.GetProperty("patientId").GetString());
        Assert.Equal(28.4, first.GetProperty("weightKg").GetDouble());
        Assert.Equal("B-ALL", first.GetProperty("diagnosis").GetString());

        var diedAt = DateTimeOffset.UtcNow.AddMinutes(-3);
        var updated = await AcceptedIdAsync(await http.PutAsJsonAsync($"api/v1/patients/{patient}",
            new { ageYears = 9.5, weightKg = 28.4, diagnosis = "B-ALL", diedAt }));
        var update = await PublishedAsync(updated);
        Assert.Equal(diedAt, update.GetProperty("diedAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Vital_signs_are_published_in_SI_units_with_oxygen_and_vasopressors()
    {
        using var http = ingestion.Client(ingestion.Ward);
        var observedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        var id = await AcceptedIdAsync(await http.PostAsJsonAsync("api/v1/vital-signs", new
        {
            patientId = ingestion.MarkerPatient,
            observedAt,
            temperature = new { value = 101.3, unit = "[degF]" },
            heartRate = 118, respiratoryRate = 24, systolicMmHg = 86, diastolicMmHg = 48, meanArterialMmHg = 61, spO2Percent = 91,
            oxygen = new { device = "lowFlowNasalCannula", flowLPerMin = 4 },
            vasopressors = new[] { new { drug = "norepinephrine", dose = 0.08, unit = "ug/kg/min" }, new { drug = "vasopressin", dose = 0.03, unit = "U/min" } },
            fluidBolusGiven = true,
            hypotensive = true,
        }));

        var published = await PublishedAsync(id);
        Assert.Equal(38.5, published.GetProperty("temperatureC").GetDouble()); // 101.3 °F
        Assert.Equal("lowFlowNasalCannula", published.GetProperty("oxygenDevice").GetString());
        Assert.Equal(4, published.GetProperty("oxygenFlowLPerMin").GetDouble());
        var vasopressors = published.GetProperty("vasopressors").EnumerateArray().ToArray();
        Assert.Equal([false, true], vasopressors.Select(v => v.GetProperty("isVasopressin").GetBoolean()));
        Assert.True(published.GetProperty("hypotensive").GetBoolean());
        Assert.Equal(observedAt, published.GetProperty("observedAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_neuro_assessment_from_ICE_items_is_published_with_the_total()
    {
        using var http = ingestion.Client(ingestion.Ward);
        var id = await AcceptedIdAsync(await http.PostAsJsonAsync("api/v1/neuro-assessments", new
        {
            patientId = ingestion.MarkerPatient,
            observedAt = DateTimeOffset.UtcNow,
            ice = new { orientationYear = true, orientationMonth = false, orientationCity = true, orientationHospital = true, namedObjects = 2, followsCommands = true, writesStandardSentence = false, countsBackwardsBy10 = true },
            consciousness = "awakensToVoice",
            seizure = "none",
        }));

        var published = await PublishedAsync(id);
        Assert.Equal(7, published.GetProperty("iceScore").GetInt32());
        Assert.Equal("awakensToVoice", published.GetProperty("consciousness").GetString());
    }

    [Fact]
    public async Task Issue_14_a_neuro_assessment_takes_consciousness_alert_and_sedated()
    {
        using var http = ingestion.Client(ingestion.Ward);
        var alert = await AcceptedIdAsync(await http.PostAsJsonAsync("api/v1/neuro-assessments", new
        {
            patientId = ingestion.MarkerPatient, observedAt = DateTimeOffset.UtcNow, iceScore = 10, consciousness = "alert",
        }));
        Assert.Equal("alert", (await PublishedAsync(alert)).GetProperty("consciousness").GetString());

        var sedated = await AcceptedIdAsync(await http.PostAsJsonAsync("api/v1/neuro-assessments", new
        {
            patientId = ingestion.MarkerPatient, observedAt = DateTimeOffset.UtcNow, consciousness = "unarousable", sedated = true,
        }));
        Assert.True((await PublishedAsync(sedated)).GetProperty("sedated").GetBoolean());
    }

    [Fact]
    public async Task Issue_14_an_admission_takes_developmental_delay_and_a_baseline_CAPD()
    {
        var patient = $"dd-{Guid.NewGuid():N}"[..16];
        using var http = ingestion.Client(ingestion.Ward);

        var admitted = await AcceptedIdAsync(await http.PutAsJsonAsync($"api/v1/patients/{patient}",
            new { ageYears = 15, weightKg = 40, diagnosis = "B-ALL", developmentalDelay = true, baselineCapd = 6 }));

        var published = await PublishedAsync(admitted);
        Assert.True(published.GetProperty("developmentalDelay").GetBoolean());
        Assert.Equal(6, published.GetProperty("baselineCapd").GetInt32());
    }

    [Theory]
    [InlineData("bispecificDose", "glofitamab", 2.5, "mg", "IV")]
    [InlineData("bispecificDose", "teclistamab", 4.2, "mg", "SC")]
    [InlineData("bispecificDose", "elranatamab", 12.0, "mg", "SC")]
    [InlineData("bispecificDose", "talquetamab", 0.7, "mg", "SC")]
    [InlineData("bispecificDose", "linvoseltamab", 5.0, "mg", "IV")]
    [InlineData("bispecificDose", "tarlatamab", 1.0, "mg", "IV")]
    [InlineData("bispecificDose", "tebentafusp", 20.0, "ug", "IV")]
    [InlineData("premedication", "obinutuzumab", 1000.0, "mg", "IV")]
    [InlineData("tocilizumab", "tocilizumab", 560.0, "mg", "IV")]
    [InlineData("corticosteroid", "dexamethasone", 10.0, "mg", "IV")]
    [InlineData("antipyretic", "acetaminophen", 1000.0, "mg", "PO")]
    public async Task A_treatment_is_published_with_its_drug_dose_and_route(string kind, string drug, double dose, string unit, string route)
    {
        using var http = ingestion.Client(ingestion.Ward);
        var id = await AcceptedIdAsync(await http.PostAsJsonAsync("api/v1/treatments", new
        {
            patientId = ingestion.MarkerPatient, administeredAt = DateTimeOffset.UtcNow, kind, drug, dose, doseUnit = unit, route,
        }));

        var published = await PublishedAsync(id);
        Assert.Equal(kind, published.GetProperty("kind").GetString());
        Assert.Equal(dose, published.GetProperty("dose").GetDouble());
    }

    [Theory]
    [InlineData("MM")]
    [InlineData("SCLC")]
    [InlineData("uveal-melanoma")]
    public async Task The_diagnoses_of_the_myeloma_and_solid_tumour_engagers_are_accepted(string diagnosis)
    {
        using var http = ingestion.Client(ingestion.Ward);
        var patientId = $"p-{Guid.NewGuid():N}"[..14];

        var id = await AcceptedIdAsync(await http.PutAsJsonAsync($"api/v1/patients/{patientId}", new { ageYears = 61, weightKg = 70, diagnosis }));

        Assert.Equal(diagnosis, (await PublishedAsync(id)).GetProperty("diagnosis").GetString());
    }

    [Fact]
    public async Task An_infusion_interruption_is_published_without_a_dose()
    {
        using var http = ingestion.Client(ingestion.Ward);
        var id = await AcceptedIdAsync(await http.PostAsJsonAsync("api/v1/treatments", new
        {
            patientId = ingestion.MarkerPatient, administeredAt = DateTimeOffset.UtcNow, kind = "infusionInterrupted", drug = "blinatumomab",
        }));

        Assert.Equal(JsonValueKind.Null, (await PublishedAsync(id)).GetProperty("dose").ValueKind);
    }

    [Fact]
    public async Task An_observation_of_a_patient_not_admitted_is_refused_and_nothing_is_published()
    {
        using var http = ingestion.Client(ingestion.Ward);
        using var response = await http.PostAsJsonAsync("api/v1/vital-signs", new { patientId = "never-admitted", observedAt = DateTimeOffset.UtcNow, heartRate = 90 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("patientId", problem.GetProperty("field").GetString());
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task An_OpenAPI_document_describes_the_endpoints()
    {
        using var http = ingestion.Client();
        var document = JsonDocument.Parse(await http.GetStringAsync("openapi/v1.json")).RootElement;

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/v1/vital-signs", paths);
        Assert.Contains("/api/v1/patients/{patientId}", paths);
        Assert.Contains("/api/v1/neuro-assessments", paths);
        Assert.Contains("/api/v1/treatments", paths);
    }
}

[CollectionDefinition(Name)]
public sealed class IngestionCollection : ICollectionFixture<IngestionFixture>
{
    public const string Name = "ingestion";
}
