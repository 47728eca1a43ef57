using System.Net;
using System.Net.Http.Json;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Ingestion.Service.Tests;

/// <summary>
/// When the broker does not confirm, the ward gets 503 with Retry-After and nothing is recorded; once the broker is
/// back the service recovers by itself and the retry is accepted, once.
/// </summary>
[Collection(IngestionCollection.Name)]
public sealed class BrokerDownTests(IngestionFixture ingestion)
{
    [Fact]
    public async Task Broker_down_gives_503_with_Retry_After_and_the_retry_after_it_is_back_is_accepted_once()
    {
        var key = Guid.NewGuid().ToString();
        var body = new { patientId = ingestion.MarkerPatient, observedAt = DateTimeOffset.UtcNow, temperature = new { value = 38.9, unit = "Cel" } };
        using var http = ingestion.Client(ingestion.Ward);

        async Task<HttpResponseMessage> PostAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/vital-signs") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await http.SendAsync(request);
        }

        await ingestion.Proxy.CutAsync();
        HttpResponseMessage refused;
        try
        {
            refused = await PostAsync();
        }
        finally
        {
            ingestion.Proxy.Open();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        var accepted = await Eventually.That(PostAsync, r => r.StatusCode == HttpStatusCode.Accepted, TimeSpan.FromSeconds(60),
            "the retry is accepted once the broker is back");
        var eventId = System.Text.Json.JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("eventId").GetGuid();

        var published = await ingestion.PublishedSinceLastCheckAsync();
        Assert.All(published, e => Assert.Equal(eventId, e.GetProperty("eventId").GetGuid()));
        Assert.NotEmpty(published);
    }
}
