using System.Net;
using System.Text;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.EndToEnd.Tests;

/// <summary>
/// The role matrix (issue 21), one table: every HTTP endpoint of the five services, as processes, asked anonymously
/// (401 unless it is open), with each role it does not allow (403) and each role it does (never 401 or 403: the
/// request then fails or succeeds on its own merits). Every service knows the same three keys, so a refusal is the
/// endpoint's policy and not a missing key. Sign-in by the board's cookie and by the IdP's tokens are tested with
/// their services (BoardAuthTests, SignInTests); the CDS Hooks service takes the EHR's JWT only (CdsHooksTests).
/// </summary>
[Collection(FiveServicesCollection.Name)]
public sealed class RoleMatrixTests(FiveServices services)
{
    private const string Open = "anyone";
    private const string Jwt = "the EHR's JWT";

    /// <summary>Service, method, path, the roles allowed (or <see cref="Open"/>, or <see cref="Jwt"/>).</summary>
    public static TheoryData<string, string, string, string> Matrix() => new()
    {
        { "Ingestion", "PUT", "api/v1/patients/m-1", "ward-system" },
        { "Ingestion", "POST", "api/v1/vital-signs", "ward-system" },
        { "Ingestion", "POST", "api/v1/neuro-assessments", "ward-system" },
        { "Ingestion", "POST", "api/v1/treatments", "ward-system" },
        { "Ingestion", "POST", "fhir/r4/Observation", "ward-system" },
        { "Ingestion", "POST", "fhir/r4/MedicationAdministration", "ward-system" },
        { "Ingestion", "GET", "fhir/r4/metadata", Open },
        { "Ingestion", "GET", "fhir/r4/CodeSystem/treatment", Open },
        { "Grading", "GET", "api/v1/patients/m-1/grades", "clinician auditor" },
        // The calculator is stateless: it reads nothing of any patient and records nothing.
        { "Grading", "POST", "api/v1/grading/evaluate", Open },
        { "Mitigation", "GET", "api/v1/regimens", "clinician auditor" },
        { "Mitigation", "GET", "api/v1/regimens/glofitamab-dlbcl", "clinician auditor" },
        { "Mitigation", "GET", "api/v1/patients/m-1/treatment-plan", "clinician auditor" },
        { "Mitigation", "PUT", "api/v1/patients/m-1/treatment-plan", "clinician" },
        { "Mitigation", "GET", "api/v1/patients/m-1/advice", "clinician auditor" },
        { "Alerting", "GET", "api/v1/alerts", "clinician auditor" },
        { "Alerting", "GET", "api/v1/alerts/response-reasons", "clinician auditor" },
        { "Alerting", "GET", "api/v1/alerts/stream", "clinician" },
        { "Alerting", "GET", "api/v1/board?ward=haem-3", "clinician" },
        { "Alerting", "POST", $"api/v1/alerts/{Guid.Empty}/acknowledge", "clinician" },
        { "Alerting", "POST", $"api/v1/alerts/{Guid.Empty}/respond", "clinician" },
        { "Alerting", "GET", "api/v1/patients/m-1/chart", "clinician auditor" },
        { "Alerting", "GET", "api/v1/patients/m-1/chart/stream", "clinician" },
        { "Alerting", "GET", "api/v1/webhooks", "clinician auditor" },
        { "Alerting", "GET", "api/v1/webhooks/failed", "clinician auditor" },
        { "Alerting", "GET", "board/reports/toxicity", "clinician" },
        { "Alerting", "GET", "board/session", Open },
        { "Audit", "GET", "api/v1/audit/events?patientId=m-1", "auditor" },
        { "Audit", "GET", "api/v1/audit/verify", "auditor" },
        { "Audit", "POST", "api/v1/audit/regrade", "auditor" },
        { "Audit", "GET", "api/v1/reports/toxicity", "clinician auditor" },
        { "Audit", "GET", "fhir/r4/Observation?subject=Patient/m-1", "clinician auditor" },
        { "Audit", "GET", $"fhir/r4/Observation/{Guid.Empty}", "clinician auditor" },
        { "Audit", "POST", "fhir/r4/Subscription", "clinician auditor" },
        { "Audit", "GET", "fhir/r4/Subscription/none", "clinician auditor" },
        { "Audit", "DELETE", "fhir/r4/Subscription/none", "clinician auditor" },
        { "Audit", "GET", "fhir/r4/Subscription/none/$status", "clinician auditor" },
        { "Audit", "GET", "fhir/r4/Subscription/none/$events", "clinician auditor" },
        { "Audit", "GET", "fhir/r4/metadata", Open },
        { "Audit", "GET", "fhir/r4/CodeSystem/toxicity-grade", Open },
        { "Audit", "GET", "cds-services", Open },
        { "Audit", "POST", "cds-services/toxicity-grades", Jwt },
        { "Audit", "POST", "cds-services/toxicity-grades/feedback", Jwt },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Every_endpoint_answers_each_caller_as_its_roles_say(string service, string method, string path, string allowed)
    {
        var process = services.Of[service];
        var anonymous = await SendAsync(process, null, method, path);
        Assert.True(allowed == Open ? anonymous is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) : anonymous == HttpStatusCode.Unauthorized,
            $"{method} {service} /{path} anonymously: {(int)anonymous}");
        foreach (var key in FiveServices.Keys)
        {
            var status = await SendAsync(process, key, method, path);
            var role = key.Roles[0];
            if (allowed == Jwt)
            {
                Assert.True(status == HttpStatusCode.Unauthorized, $"{method} {service} /{path} with a {role} key instead of the EHR's JWT: {(int)status}");
            }
            else if (allowed == Open || allowed.Split(' ').Contains(role))
            {
                Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{method} {service} /{path} as {role} (allowed): {(int)status}");
            }
            else
            {
                Assert.True(status == HttpStatusCode.Forbidden, $"{method} {service} /{path} as {role} (not allowed): {(int)status}");
            }
        }
    }

    private static async Task<HttpStatusCode> SendAsync(ServiceProcess process, ApiKey? key, string method, string path)
    {
        using var http = process.CreateClient(key);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, path.StartsWith("fhir/", StringComparison.Ordinal) ? "application/fhir+json" : "application/json");
        }

        // Streams answer their headers at once: the status is all this test reads.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}
