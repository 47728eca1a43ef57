using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Toxicity.Contracts.V1;
using Toxicity.Mitigation.Regimens;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Mitigation.Service.Tests;

/// <summary>The regimen catalogue and a patient's treatment plan over HTTP: shapes, validation, roles.</summary>
public sealed class PlanEndpointTests(MitigationFixture mitigation) : IClassFixture<MitigationFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_catalogue_lists_every_regimen_with_its_source()
    {
        using var http = mitigation.Client(mitigation.Auditor);
        var regimens = await http.GetFromJsonAsync<JsonElement>("api/v1/regimens");

        Assert.Equal(RegimenCatalogue.All.Select(r => r.Id), regimens.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.All(regimens.EnumerateArray(), r => Assert.StartsWith("CLINICAL-RULES.md §5", r.GetProperty("source").GetString(), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/v1/regimens/no-such-regimen")).StatusCode);
    }

    [Fact]
    public async Task A_plan_put_for_a_patient_is_read_back_as_the_dated_calendar()
    {
        var patient = await AdmitAsync(bsa: 1.2);
        var regimen = RegimenCatalogue.All.First(r => r.Status == RegimenStatus.Label);
        using var http = mitigation.Client(mitigation.Clinician);

        var put = await PutAsync(http, patient, new { regimenId = regimen.Id, cycle1Day1 = "2026-12-07" }, HttpStatusCode.OK);
        Assert.Equal(regimen.Id, put.GetProperty("regimenId").GetString());

        var plan = await http.GetFromJsonAsync<JsonElement>($"api/v1/patients/{patient}/treatment-plan?cycles=2");
        var expected = TreatmentPlanner.Plan(regimen, new DateOnly(2026, 12, 7), new PatientMeasures(60, 1.2, 40), 2).Doses;
        var doses = plan.GetProperty("doses").EnumerateArray().ToList();
        Assert.Equal(expected.Select(d => d.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), doses.Select(d => d.GetProperty("date").GetString()));
        Assert.Equal(expected.Select(d => d.Amount), doses.Select(d => d.GetProperty("amount").ValueKind == JsonValueKind.Null ? (double?)null : d.GetProperty("amount").GetDouble()));
        Assert.Equal("2026-12-07", plan.GetProperty("cycle1Day1").GetString());
    }

    [Theory]
    [InlineData("""{"regimenId":"no-such-regimen","cycle1Day1":"2026-12-07"}""", "regimenId")]
    [InlineData("""{"cycle1Day1":"2026-12-07"}""", "regimenId")]
    [InlineData("""{"regimenId":"REGIMEN","cycle1Day1":"07/12/2026"}""", "cycle1Day1")]
    [InlineData("""{"regimenId":"REGIMEN"}""", "cycle1Day1")]
    [InlineData("""{"regimenId":"REGIMEN","cycle1Day1":"2026-12-07","dose":5}""", "dose")]
    [InlineData("""[]""", "$")]
    public async Task A_bad_plan_gets_400_naming_the_field_and_publishes_nothing(string body, string field)
    {
        var patient = await AdmitAsync(bsa: 1.8);
        using var http = mitigation.Client(mitigation.Clinician);
        var regimen = RegimenCatalogue.All.First(r => r.Status == RegimenStatus.Label).Id;
        using var content = new StringContent(body.Replace("REGIMEN", regimen, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");

        using var response = await http.PutAsync($"api/v1/patients/{patient}/treatment-plan", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors name {field}: {problem}");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"api/v1/patients/{patient}/treatment-plan")).StatusCode);
    }

    [Fact]
    public async Task An_investigational_regimen_cannot_be_a_plan()
    {
        if (RegimenCatalogue.All.FirstOrDefault(r => r.Status == RegimenStatus.Investigational) is not { } investigational)
        {
            Assert.Fail("the catalogue has an investigational entry (blinatumomab NHL, CLINICAL-RULES.md §5.1)");
            return;
        }

        var patient = await AdmitAsync(bsa: 1.8);
        using var http = mitigation.Client(mitigation.Clinician);
        using var response = await http.PutAsJsonAsync($"api/v1/patients/{patient}/treatment-plan", new { regimenId = investigational.Id, cycle1Day1 = "2026-12-07" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Plans_are_for_admitted_patients_and_clinicians()
    {
        var regimen = RegimenCatalogue.All.First(r => r.Status == RegimenStatus.Label).Id;
        var body = new { regimenId = regimen, cycle1Day1 = "2026-12-07" };
        var patient = await AdmitAsync(bsa: 1.8);

        using var clinician = mitigation.Client(mitigation.Clinician);
        using var notAdmitted = await clinician.PutAsJsonAsync($"api/v1/patients/never-admitted-{Guid.NewGuid():N}/treatment-plan", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notAdmitted.StatusCode);

        // A patient Mitigation knows from a details update only (admitted before its log began) is admitted too.
        var updatedOnly = $"p-{Guid.NewGuid():N}"[..14];
        var now = DateTimeOffset.UtcNow;
        await mitigation.Events.PublishAsync(new PatientDetailsUpdated(Guid.NewGuid(), updatedOnly, now, now, 40, 70, 170, 1.8, "B-ALL", null, null));
        await Eventually.That(
            async () => (await clinician.PutAsJsonAsync($"api/v1/patients/{updatedOnly}/treatment-plan", body)).StatusCode,
            status => status == HttpStatusCode.OK,
            Deadline,
            $"the plan of {updatedOnly} accepted");

        using var auditor = mitigation.Client(mitigation.Auditor);
        using var ward = mitigation.Client(mitigation.Ward);
        using var anonymous = mitigation.Client(null);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PutAsJsonAsync($"api/v1/patients/{patient}/treatment-plan", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ward.GetAsync("api/v1/regimens")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/v1/patients/{patient}/advice")).StatusCode);
    }

    private async Task<string> AdmitAsync(double bsa)
    {
        var patient = $"p-{Guid.NewGuid():N}"[..14];
        var now = DateTimeOffset.UtcNow;
        await mitigation.Events.PublishAsync(new PatientAdmitted(Guid.NewGuid(), patient, now, now, 40, 60, 160, bsa, "B-ALL", null, null));
        using var http = mitigation.Client(mitigation.Clinician);
        await Eventually.That(
            async () => (await http.GetAsync($"api/v1/patients/{patient}/advice")).StatusCode,
            status => status == HttpStatusCode.OK,
            Deadline,
            $"the admission of {patient} folded");
        return patient;
    }

    private static async Task<JsonElement> PutAsync(HttpClient http, string patient, object body, HttpStatusCode status)
    {
        using var response = await http.PutAsJsonAsync($"api/v1/patients/{patient}/treatment-plan", body);
        Assert.Equal(status, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
