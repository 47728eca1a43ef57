using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Toxicity.Ingestion.Service.Tests;

/// <summary>
/// A corpus of bad requests: each gets 400 (RFC 9457 problem details) naming the field, and nothing reaches the broker.
/// Every row uses the fixture's admitted patient, so only the fault in the row can refuse it.
/// </summary>
[Collection(IngestionCollection.Name)]
public sealed class BadRequestTests(IngestionFixture ingestion)
{
    private const string P = "\"patientId\":\"{patient}\",\"observedAt\":\"{now}\"";
    private const string T = "\"patientId\":\"{patient}\",\"administeredAt\":\"{now}\"";

    public static TheoryData<string, string, string> Corpus() => new()
    {
        // vital signs: required fields, types, formats
        { "vital-signs", "{\"observedAt\":\"{now}\",\"heartRate\":80}", "patientId" },
        { "vital-signs", "{\"patientId\":\"Jane Doe\",\"observedAt\":\"{now}\",\"heartRate\":80}", "patientId" },
        { "vital-signs", "{\"patientId\":42,\"observedAt\":\"{now}\",\"heartRate\":80}", "patientId" },
        { "vital-signs", "{\"patientId\":\"{patient}\",\"heartRate\":80}", "observedAt" },
        { "vital-signs", "{\"patientId\":\"{patient}\",\"observedAt\":\"2026-11-25T08:30:00\",\"heartRate\":80}", "observedAt" },
        { "vital-signs", "{\"patientId\":\"{patient}\",\"observedAt\":\"yesterday\",\"heartRate\":80}", "observedAt" },
        { "vital-signs", "{\"patientId\":\"{patient}\",\"observedAt\":\"{future}\",\"heartRate\":80}", "observedAt" },
        { "vital-signs", "{" + P + "}", "$" },
        { "vital-signs", "{" + P + ",\"heartrate\":80}", "heartrate" },
        { "vital-signs", "{" + P + ",\"temperature\":38.5}", "temperature" },
        { "vital-signs", "{" + P + ",\"temperature\":{\"value\":38.5}}", "temperature.unit" },
        { "vital-signs", "{" + P + ",\"temperature\":{\"unit\":\"Cel\"}}", "temperature.value" },
        { "vital-signs", "{" + P + ",\"temperature\":{\"value\":38.5,\"unit\":\"C\"}}", "temperature.unit" },
        { "vital-signs", "{" + P + ",\"temperature\":{\"value\":38.5,\"unit\":\"K\"}}", "temperature.unit" },
        { "vital-signs", "{" + P + ",\"temperature\":{\"value\":101.3,\"unit\":\"Cel\"}}", "temperature.value" },
        { "vital-signs", "{" + P + ",\"temperature\":{\"value\":38.5,\"unit\":\"[degF]\"}}", "temperature.value" },
        { "vital-signs", "{" + P + ",\"temperature\":{\"value\":24.9,\"unit\":\"Cel\"}}", "temperature.value" },
        { "vital-signs", "{" + P + ",\"temperature\":{\"value\":45.1,\"unit\":\"Cel\"}}", "temperature.value" },
        { "vital-signs", "{" + P + ",\"temperature\":{\"value\":\"38.5\",\"unit\":\"Cel\"}}", "temperature.value" },
        { "vital-signs", "{" + P + ",\"temperature\":{\"value\":38.5,\"unit\":\"Cel\",\"site\":\"oral\"}}", "temperature.site" },
        { "vital-signs", "{" + P + ",\"heartRate\":19}", "heartRate" },
        { "vital-signs", "{" + P + ",\"heartRate\":301}", "heartRate" },
        { "vital-signs", "{" + P + ",\"heartRate\":88.5}", "heartRate" },
        { "vital-signs", "{" + P + ",\"respiratoryRate\":1}", "respiratoryRate" },
        { "vital-signs", "{" + P + ",\"respiratoryRate\":81}", "respiratoryRate" },
        { "vital-signs", "{" + P + ",\"systolicMmHg\":29}", "systolicMmHg" },
        { "vital-signs", "{" + P + ",\"systolicMmHg\":301}", "systolicMmHg" },
        { "vital-signs", "{" + P + ",\"systolicMmHg\":80,\"diastolicMmHg\":90}", "diastolicMmHg" },
        { "vital-signs", "{" + P + ",\"diastolicMmHg\":9}", "diastolicMmHg" },
        { "vital-signs", "{" + P + ",\"meanArterialMmHg\":19}", "meanArterialMmHg" },
        { "vital-signs", "{" + P + ",\"spO2Percent\":101}", "spO2Percent" },
        { "vital-signs", "{" + P + ",\"spO2Percent\":49}", "spO2Percent" },
        { "vital-signs", "{" + P + ",\"oxygen\":{\"flowLPerMin\":4}}", "oxygen.device" },
        { "vital-signs", "{" + P + ",\"oxygen\":{\"device\":\"nasalCannula\"}}", "oxygen.device" },
        { "vital-signs", "{" + P + ",\"oxygen\":{\"device\":\"lowFlowNasalCannula\",\"flowLPerMin\":-1}}", "oxygen.flowLPerMin" },
        { "vital-signs", "{" + P + ",\"oxygen\":{\"device\":\"highFlowNasalCannula\",\"flowLPerMin\":81}}", "oxygen.flowLPerMin" },
        { "vital-signs", "{" + P + ",\"oxygen\":{\"device\":\"facemask\",\"fio2Percent\":20}}", "oxygen.fio2Percent" },
        { "vital-signs", "{" + P + ",\"oxygen\":{\"device\":\"facemask\",\"fio2Percent\":101}}", "oxygen.fio2Percent" },
        { "vital-signs", "{" + P + ",\"oxygen\":{\"device\":\"none\",\"flowLPerMin\":2}}", "oxygen.device" },
        { "vital-signs", "{" + P + ",\"vasopressors\":{\"drug\":\"norepinephrine\"}}", "vasopressors" },
        { "vital-signs", "{" + P + ",\"vasopressors\":[{\"drug\":\"adrenaline-ish\",\"dose\":0.1,\"unit\":\"ug/kg/min\"}]}", "vasopressors[0].drug" },
        { "vital-signs", "{" + P + ",\"vasopressors\":[{\"drug\":\"norepinephrine\",\"unit\":\"ug/kg/min\"}]}", "vasopressors[0].dose" },
        { "vital-signs", "{" + P + ",\"vasopressors\":[{\"drug\":\"norepinephrine\",\"dose\":0,\"unit\":\"ug/kg/min\"}]}", "vasopressors[0].dose" },
        { "vital-signs", "{" + P + ",\"vasopressors\":[{\"drug\":\"norepinephrine\",\"dose\":0.1,\"unit\":\"mcg\"}]}", "vasopressors[0].unit" },
        { "vital-signs", "{" + P + ",\"hypotensive\":\"yes\"}", "hypotensive" },
        { "vital-signs", "{" + P + ",\"fluidBolusGiven\":1}", "fluidBolusGiven" },
        { "vital-signs", "[{" + P + ",\"heartRate\":80}]", "$" },
        { "vital-signs", "{" + P + ",\"heartRate\":80", "$" },
        // neuro assessments
        { "neuro-assessments", "{" + P + "}", "$" },
        { "neuro-assessments", "{" + P + ",\"iceScore\":11}", "iceScore" },
        { "neuro-assessments", "{" + P + ",\"iceScore\":-1}", "iceScore" },
        { "neuro-assessments", "{" + P + ",\"capdScore\":33}", "capdScore" },
        { "neuro-assessments", "{" + P + ",\"consciousness\":\"drowsy\"}", "consciousness" },
        { "neuro-assessments", "{" + P + ",\"seizure\":\"yes\"}", "seizure" },
        { "neuro-assessments", "{" + P + ",\"motor\":\"weak\"}", "motor" },
        { "neuro-assessments", "{" + P + ",\"cerebralEdema\":\"some\"}", "cerebralEdema" },
        { "neuro-assessments", "{" + P + ",\"consciousness\":\"Alert\"}", "consciousness" },
        { "neuro-assessments", "{" + P + ",\"sedated\":\"yes\",\"seizure\":\"none\"}", "sedated" },
        { "neuro-assessments", "{" + P + ",\"ice\":{\"orientationYear\":true}}", "ice.namedObjects" },
        { "neuro-assessments", "{" + P + ",\"iceScore\":9,\"ice\":{\"orientationYear\":true,\"orientationMonth\":true,\"orientationCity\":true,\"orientationHospital\":true,\"namedObjects\":3,\"followsCommands\":true,\"writesStandardSentence\":true,\"countsBackwardsBy10\":true}}", "iceScore" },
        { "neuro-assessments", "{" + P + ",\"ice\":{\"orientationYear\":true,\"orientationMonth\":true,\"orientationCity\":true,\"orientationHospital\":true,\"namedObjects\":4,\"followsCommands\":true,\"writesStandardSentence\":true,\"countsBackwardsBy10\":true}}", "ice.namedObjects" },
        // before any field is read (issue 21): a lone surrogate, a key given twice (at the top, nested), too deep
        { "vital-signs", "{\"patientId\":\"\\ud800\",\"observedAt\":\"{now}\",\"heartRate\":80}", "patientId" },
        { "vital-signs", "{" + P + ",\"heartRate\":80,\"\\udfff\":1}", "$" },
        { "vital-signs", "{" + P + ",\"patientId\":\"p-2\",\"heartRate\":80}", "patientId" },
        { "vital-signs", "{" + P + ",\"heartRate\":80,\"heartRate\":90}", "heartRate" },
        { "vital-signs", "{" + P + ",\"vasopressors\":[{\"drug\":\"norepinephrine\",\"dose\":0.1,\"unit\":\"ug/kg/min\"},{\"drug\":\"norepinephrine\",\"drug\":\"vasopressin\",\"dose\":0.03,\"unit\":\"U/min\"}]}", "vasopressors[1].drug" },
        { "vital-signs", "{" + P + ",\"x\":" + new string('[', 100) + new string(']', 100) + "}", "$" },
        { "neuro-assessments", "{" + P + ",\"iceScore\":7,\"iceScore\":10}", "iceScore" },
        // treatments
        { "treatments", "{" + T + ",\"drug\":\"glofitamab\",\"dose\":2.5,\"doseUnit\":\"mg\"}", "kind" },
        { "treatments", "{" + T + ",\"kind\":\"chemo\",\"drug\":\"glofitamab\",\"dose\":2.5,\"doseUnit\":\"mg\"}", "kind" },
        { "treatments", "{" + T + ",\"kind\":\"bispecificDose\",\"drug\":\"rituximab\",\"dose\":2.5,\"doseUnit\":\"mg\"}", "drug" },
        { "treatments", "{" + T + ",\"kind\":\"bispecificDose\",\"drug\":\"glofitamab\",\"doseUnit\":\"mg\"}", "dose" },
        { "treatments", "{" + T + ",\"kind\":\"bispecificDose\",\"drug\":\"glofitamab\",\"dose\":2.5}", "doseUnit" },
        { "treatments", "{" + T + ",\"kind\":\"bispecificDose\",\"drug\":\"glofitamab\",\"dose\":2.5,\"doseUnit\":\"tablets\"}", "doseUnit" },
        { "treatments", "{" + T + ",\"kind\":\"bispecificDose\",\"drug\":\"glofitamab\",\"dose\":2.5,\"doseUnit\":\"mg\",\"route\":\"IM\"}", "route" },
        { "treatments", "{" + T + ",\"kind\":\"infusionRestarted\",\"drug\":\"blinatumomab\",\"dose\":9}", "dose" },
        { "treatments", "{\"patientId\":\"{patient}\",\"kind\":\"tocilizumab\",\"drug\":\"tocilizumab\",\"dose\":560,\"doseUnit\":\"mg\"}", "administeredAt" },
        { "treatments", "{" + T + ",\"kind\":\"tocilizumab\",\"drug\":\"tocilizumab\",\"dose\":0,\"doseUnit\":\"mg\"}", "dose" },
        { "treatments", "{" + T + ",\"kind\":\"tocilizumab\",\"drug\":\"tocilizumab\",\"dose\":560,\"doseUnit\":\"mg\",\"note\":\"given late\"}", "note" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task A_bad_request_gets_400_naming_the_field_and_nothing_is_published(string resource, string template, string field)
    {
        var json = template.Replace("{patient}", ingestion.MarkerPatient, StringComparison.Ordinal)
            .Replace("{now}", DateTimeOffset.UtcNow.ToString("O"), StringComparison.Ordinal)
            .Replace("{future}", DateTimeOffset.UtcNow.AddMinutes(6).ToString("O"), StringComparison.Ordinal);
        using var http = ingestion.Client(ingestion.Ward);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await http.PostAsync($"api/v1/{resource}", content);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"no error for '{field}' in {errors}");
        var published = await ingestion.PublishedSinceLastCheckAsync();
        Assert.True(published.Count == 0, $"published: {string.Join("; ", published)}");
    }

    public static TheoryData<string, string> PatientCorpus() => new()
    {
        { "{\"diagnosis\":\"FL\"}", "ageYears" },
        { "{\"ageYears\":40,\"ageYears\":4,\"diagnosis\":\"FL\"}", "ageYears" },
        { "{\"ageYears\":131,\"diagnosis\":\"FL\"}", "ageYears" },
        { "{\"ageYears\":40}", "diagnosis" },
        { "{\"ageYears\":40,\"diagnosis\":\"lymphoma\"}", "diagnosis" },
        { "{\"ageYears\":40,\"diagnosis\":\"FL\",\"weightKg\":0.1}", "weightKg" },
        { "{\"ageYears\":40,\"diagnosis\":\"FL\",\"heightCm\":300}", "heightCm" },
        { "{\"ageYears\":40,\"diagnosis\":\"FL\",\"bodySurfaceAreaM2\":5}", "bodySurfaceAreaM2" },
        { "{\"ageYears\":40,\"diagnosis\":\"FL\",\"ward\":\"<script>\"}", "ward" },
        { "{\"ageYears\":40,\"diagnosis\":\"FL\",\"diedAt\":\"{future}\"}", "diedAt" },
        { "{\"ageYears\":40,\"diagnosis\":\"FL\",\"name\":\"Jane Doe\"}", "name" },
        { "{\"ageYears\":40,\"diagnosis\":\"FL\",\"developmentalDelay\":\"no\"}", "developmentalDelay" },
        { "{\"ageYears\":40,\"diagnosis\":\"FL\",\"baselineCapd\":33}", "baselineCapd" },
    };

    [Theory]
    [MemberData(nameof(PatientCorpus))]
    public async Task A_bad_admission_gets_400_naming_the_field_and_nothing_is_published(string template, string field)
    {
        var json = template.Replace("{future}", DateTimeOffset.UtcNow.AddHours(1).ToString("O"), StringComparison.Ordinal);
        using var http = ingestion.Client(ingestion.Ward);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await http.PutAsync($"api/v1/patients/bad-{Guid.NewGuid():N}"[..30], content);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task A_patient_id_that_looks_like_a_name_is_refused_in_the_path_too()
    {
        using var http = ingestion.Client(ingestion.Ward);
        using var content = new StringContent("{\"ageYears\":40,\"diagnosis\":\"FL\"}", Encoding.UTF8, "application/json");

        using var response = await http.PutAsync("api/v1/patients/Jane%20Doe", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("patientId", out _));
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_UTF_8_gets_400_not_500_and_nothing_is_published()
    {
        using var http = ingestion.Client(ingestion.Ward);
        var json = Encoding.UTF8.GetBytes($"{{\"patientId\":\"{ingestion.MarkerPatient}\",\"observedAt\":\"{DateTimeOffset.UtcNow:O}\",\"heartRate\":80}}");
        byte[] body = [.. json[..10], 0xC3, 0x28, .. json[10..]]; // 0xC3 0x28: not a UTF-8 sequence
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await http.PostAsync("api/v1/vital-signs", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Contains("not valid UTF-8", JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty("$")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Theory]
    [InlineData("utf8", "Resource")]
    [InlineData("surrogate", "Observation.subject.reference")]
    [InlineData("duplicate", "Observation.status")]
    public async Task A_FHIR_body_that_is_not_UTF_8_has_a_lone_surrogate_or_an_element_twice_gets_an_OperationOutcome_naming_it(string fault, string expression)
    {
        var observation = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"vital-signs\"}]}],"
            + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},\"subject\":{\"reference\":\"Patient/" + ingestion.MarkerPatient + "\"},"
            + "\"effectiveDateTime\":\"" + DateTimeOffset.UtcNow.ToString("O") + "\",\"valueQuantity\":{\"value\":80,\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
        var bytes = Encoding.UTF8.GetBytes(observation);
        byte[] body = fault switch
        {
            "utf8" => [.. bytes[..20], 0xFF, .. bytes[20..]],
            "surrogate" => Encoding.UTF8.GetBytes(observation.Replace("Patient/" + ingestion.MarkerPatient, "Patient/\\ud800", StringComparison.Ordinal)),
            _ => Encoding.UTF8.GetBytes(observation.Replace("\"status\":\"final\"", "\"status\":\"final\",\"status\":\"cancelled\"", StringComparison.Ordinal)),
        };
        using var http = ingestion.Client(ingestion.Ward);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/fhir+json");

        using var response = await http.PostAsync("fhir/r4/Observation", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var outcome = JsonDocument.Parse(text).RootElement;
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Equal(expression, outcome.GetProperty("issue")[0].GetProperty("expression")[0].GetString());
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        using var http = ingestion.Client(ingestion.Ward);
        using var content = new StringContent("heartRate=80", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await http.PostAsync("api/v1/vital-signs", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }
}
