using System.Net;
using System.Text;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.EndToEnd.Tests;

/// <summary>
/// The role matrix (issue 21), one table: every HTTP endpoint of the five services, as processes, asked anonymously
/// (401 unless it is open), then with each credential a caller can hold: an API key of each role, a bearer token from the
/// hospital's identity provider with each role (a token's <c>ward-system</c> role counts for nothing: systems keep
/// keys), and the ward board's session cookie (a clinician's, Alerting's only: elsewhere it is no credential). Each
/// role it does not allow gets 403, each it allows never 401 or 403 (the request then fails or succeeds on its own
/// merits). Every service knows the same keys and the same IdP, so a refusal is the endpoint's policy and not a missing
/// key. The CDS Hooks service takes the EHR's JWT only (CdsHooksTests); the board's IdP sign-in has BoardOidcTests.
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
        var anonymous = await SendAsync(process, method, path, _ => { });
        Assert.True(allowed == Open ? anonymous is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) : anonymous == HttpStatusCode.Unauthorized,
            $"{method} {service} /{path} anonymously: {(int)anonymous}");
        foreach (var key in FiveServices.Keys)
        {
            var role = key.Roles[0];
            Expect(allowed, role, await SendAsync(process, method, path, r => r.Headers.Add("X-Api-Key", key.Key)), $"{method} {service} /{path} with a {role} key");
            var token = await services.Oidc.TokenAsync(FiveServices.Audience, TimeSpan.FromMinutes(10), $"matrix-{role}", role);
            // A token's roles are a person's only: a ward-system role in a token is dropped, the caller signed in with none.
            Expect(allowed, OidcRoles.Contains(role) ? role : null, await SendAsync(process, method, path, r => r.Headers.Authorization = new("Bearer", token)),
                $"{method} {service} /{path} with a {role} token");
        }

        var status = await SendWithSessionAsync(process, service, method, path);
        var what = $"{method} {service} /{path} with the board's session cookie";
        if (service == "Alerting")
        {
            Expect(allowed, "clinician", status, what);
        }
        else
        {
            Assert.True(allowed == Open ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) : status == HttpStatusCode.Unauthorized, $"{what} (no credential here): {(int)status}");
        }
    }

    /// <summary>The roles a token from the hospital's identity provider can carry (OidcAuthentication.PersonRoles).</summary>
    private static readonly string[] OidcRoles = ["clinician", "auditor"];

    /// <summary>What a caller holding <paramref name="role"/> (null: signed in with none) must get.</summary>
    private static void Expect(string allowed, string? role, HttpStatusCode status, string what)
    {
        if (allowed == Jwt)
        {
            Assert.True(status == HttpStatusCode.Unauthorized, $"{what} instead of the EHR's JWT: {(int)status}");
        }
        else if (allowed == Open || (role is not null && allowed.Split(' ').Contains(role)))
        {
            Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{what} (allowed): {(int)status}");
        }
        else
        {
            Assert.True(status == HttpStatusCode.Forbidden, $"{what} (not allowed): {(int)status}");
        }
    }

    private static async Task<HttpStatusCode> SendAsync(ServiceProcess process, string method, string path, Action<HttpRequestMessage> authorize)
    {
        using var http = process.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(method, path) };
        authorize(request);
        // Streams answer their headers at once: the status is all this test reads.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }

    /// <summary>The request with the board session's cookie and its CSRF token (the session Alerting gave the clinician's key).</summary>
    private async Task<HttpStatusCode> SendWithSessionAsync(ServiceProcess process, string service, string method, string path)
    {
        var board = await services.BoardSessionAsync();
        using var elsewhere = service == "Alerting" ? null : board.To(process.BaseAddress);
        using var response = await (elsewhere ?? board).SendAsync(new HttpMethod(method), path, csrf: true, Body(method, path), eventStream: path.Contains("stream", StringComparison.Ordinal));
        return response.StatusCode;
    }

    private static StringContent? Body(string method, string path) => method is "POST" or "PUT"
        ? new StringContent("{}", Encoding.UTF8, path.StartsWith("fhir/", StringComparison.Ordinal) ? "application/fhir+json" : "application/json")
        : null;
}
