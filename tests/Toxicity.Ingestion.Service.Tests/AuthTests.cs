using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Toxicity.Ingestion.Service.Tests;

/// <summary>Only callers with the <c>ward-system</c> role may post: 401 without (valid) credentials, 403 with another role.</summary>
[Collection(IngestionCollection.Name)]
public sealed class AuthTests(IngestionFixture ingestion)
{
    public static TheoryData<string, string> Endpoints() => new()
    {
        { "POST", "api/v1/vital-signs" },
        { "POST", "api/v1/neuro-assessments" },
        { "POST", "api/v1/treatments" },
        { "PUT", "api/v1/patients/auth-test-patient" },
    };

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string path) =>
        await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = JsonContent.Create(new { patientId = ingestion.MarkerPatient, observedAt = DateTimeOffset.UtcNow, heartRate = 80, ageYears = 40, diagnosis = "FL" }),
        });

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Without_an_API_key_the_answer_is_401(string method, string path)
    {
        using var http = ingestion.Client();
        using var response = await SendAsync(http, method, path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task With_an_unknown_API_key_the_answer_is_401(string method, string path)
    {
        using var http = ingestion.Client();
        http.DefaultRequestHeaders.Add("X-Api-Key", "not-a-key-anyone-was-given");
        using var response = await SendAsync(http, method, path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task With_a_clinician_key_the_answer_is_403(string method, string path)
    {
        using var http = ingestion.Client(ingestion.Clinician);
        using var response = await SendAsync(http, method, path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task With_the_ward_system_key_the_answer_is_202()
    {
        using var http = ingestion.Client(ingestion.Ward);
        using var response = await http.PostAsJsonAsync("api/v1/vital-signs", new { patientId = ingestion.MarkerPatient, observedAt = DateTimeOffset.UtcNow, heartRate = 80 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await ingestion.PublishedSinceLastCheckAsync());
    }
}
