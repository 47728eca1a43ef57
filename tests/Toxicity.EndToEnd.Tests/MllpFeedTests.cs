using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Toxicity.Testing;
using Xunit;
using Xunit.Abstractions;
using static Toxicity.EndToEnd.Tests.Ward;
using static Toxicity.EndToEnd.Tests.WalkingSkeletonTests;

namespace Toxicity.EndToEnd.Tests;

/// <summary>
/// The standards feeds end to end, graded by Grading as a process: a monitor gateway's HL7 v2 over MLLP exactly as the
/// same readings posted as JSON, and a FHIR MedicationAdministration dose opening the post-dose risk window.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class MllpFeedTests(ToxicitySystem system, ITestOutputHelper output) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        output.WriteLine(system.Diagnostics());
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_grade_from_an_MLLP_feed_equals_the_grade_from_the_same_readings_posted_as_JSON()
    {
        var byJson = await AdmitNewPatientAsync(system);
        var byMllp = await AdmitNewPatientAsync(system);
        var first = DateTimeOffset.UtcNow.AddMinutes(-3);
        var second = first.AddMinutes(1);

        await PostAsync(system, "vital-signs", new { patientId = byJson, observedAt = first, temperature = new { value = 38.9, unit = "Cel" }, heartRate = 112, respiratoryRate = 24, systolicMmHg = 95, diastolicMmHg = 60, spO2Percent = 93 });
        await PostAsync(system, "vital-signs", new { patientId = byJson, observedAt = second, temperature = new { value = 39.4, unit = "Cel" }, heartRate = 118 });

        // One ORU^R01, two OBR groups (one per observation time), MDC codes and units as a PCD-01 gateway sends them.
        static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+0000";
        static string Obx(int n, string code, string value, string unit) => $"OBX|{n}|NM|{code}^MDC|1.1.1.{n}|{value}|{unit}^MDC|||||R";
        await using var mllp = await MllpClient.ConnectAsync(system.MllpPort);
        var ack = await mllp.SendAsync(MllpClient.Message(
            $"MSH|^~\\&|GATEWAY|WARD|||{Time(second)}||ORU^R01^ORU_R01|{Guid.NewGuid().ToString("N")[..20]}|P|2.6|||AL|NE",
            $"PID|||MRN-4711^^^HOSP^MR~{byMllp}^^^TOXICITY^PI",
            $"OBR|1|||182777000^monitoring of patient^SCT|||{Time(first)}",
            Obx(1, "150364^MDC_TEMP_BODY", "38.9", "268192^MDC_DIM_DEGC"),
            Obx(2, "147842^MDC_ECG_HEART_RATE", "112", "264864^MDC_DIM_BEAT_PER_MIN"),
            Obx(3, "151562^MDC_RESP_RATE", "24", "264928^MDC_DIM_RESP_PER_MIN"),
            Obx(4, "150021^MDC_PRESS_BLD_NONINV_SYS", "95", "266016^MDC_DIM_MMHG"),
            Obx(5, "150022^MDC_PRESS_BLD_NONINV_DIA", "60", "266016^MDC_DIM_MMHG"),
            Obx(6, "150456^MDC_PULS_OXIM_SAT_O2", "93", "262688^MDC_DIM_PERCENT"),
            $"OBR|2|||182777000^monitoring of patient^SCT|||{Time(second)}",
            Obx(7, "150364^MDC_TEMP_BODY", "102.92", "266560^MDC_DIM_FAHR"),
            Obx(8, "147842^MDC_ECG_HEART_RATE", "118", "264864^MDC_DIM_BEAT_PER_MIN")));
        Assert.Contains("|CA|", ack, StringComparison.Ordinal);

        await AuditEventuallyAsync(system.Audit, byJson, GradeChanged);
        await AuditEventuallyAsync(system.Audit, byMllp, GradeChanged);
        var json = await Eventually.That(() => GradesAsync(byJson), g => g.Contains("\"grade\":1", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "CRS 1 from the JSON readings");
        var hl7 = await Eventually.That(() => GradesAsync(byMllp), g => g == json, TimeSpan.FromSeconds(30), "the same grades from the MLLP readings");

        output.WriteLine(json);
        Assert.Equal(json, hl7);
        var vitals = (await AuditEventsAsync(system.Audit, byMllp)).Where(e => Type(e) == Vitals).Select(Message).ToList();
        Assert.Equal([38.9, 39.4], vitals.Select(v => v.GetProperty("temperatureC").GetDouble()));
    }

    [Fact]
    public async Task A_bispecific_dose_sent_as_a_FHIR_MedicationAdministration_opens_the_post_dose_risk_window()
    {
        var patient = await AdmitNewPatientAsync(system);
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        const string Codes = "https://toxicity.dev/fhir/CodeSystem/treatment";
        var administration = $$$"""
            {"resourceType":"MedicationAdministration","id":"{{{Guid.NewGuid():N}}}","status":"completed",
             "category":{"coding":[{"system":"{{{Codes}}}","code":"kind.bispecificDose"}]},
             "medicationCodeableConcept":{"coding":[{"system":"{{{Codes}}}","code":"drug.epcoritamab"}]},
             "subject":{"reference":"Patient/{{{patient}}}"},"effectiveDateTime":"{{{at:yyyy-MM-ddTHH:mm:ssZ}}}",
             "dosage":{"route":{"coding":[{"system":"{{{Codes}}}","code":"route.SC"}]},
                       "dose":{"value":0.16,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}}
            }
            """;

        using (var http = system.Ingestion.CreateClient(system.WardKey))
        using (var content = new StringContent(administration, System.Text.Encoding.UTF8, "application/fhir+json"))
        using (var response = await http.PostAsync("fhir/r4/MedicationAdministration", content))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        }

        using var clinician = system.Grading.CreateClient(system.ClinicianKey);
        var grades = await Eventually.That(async () => JsonDocument.Parse(await clinician.GetStringAsync($"api/v1/patients/{patient}/grades")).RootElement.Clone(),
            g => g.GetProperty("lastBispecificDoseAt").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(30), "Grading has the dose");

        Assert.Equal(at.ToUnixTimeSeconds(), grades.GetProperty("lastBispecificDoseAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.True(grades.GetProperty("riskWindowUntil").GetDateTimeOffset() > at, grades.ToString());
    }

    /// <summary>The patient's grades with what names the patient, an event or a time left out: what is left is the grading itself.</summary>
    private async Task<string> GradesAsync(string patientId)
    {
        using var http = system.Grading.CreateClient(system.ClinicianKey);
        var grades = JsonNode.Parse(await http.GetStringAsync($"api/v1/patients/{patientId}/grades"))!;
        Strip(grades);
        return grades.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    if (name == "patientId" || value is JsonValue v && v.GetValueKind() == JsonValueKind.String
                        && (Guid.TryParse(v.GetValue<string>(), out _) || DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, out _)))
                    {
                        o.Remove(name);
                    }
                    else
                    {
                        Strip(value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Strip(item);
                }

                break;
            default:
                break;
        }
    }
}
