using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Toxicity.Ingestion.Service.Tests;

/// <summary>An Idempotency-Key makes a retry return the same answer and publish nothing new, also after a restart.</summary>
[Collection(IngestionCollection.Name)]
public sealed class IdempotencyTests(IngestionFixture ingestion)
{
    private object Vitals(double temperature) => new
    {
        patientId = ingestion.MarkerPatient,
        observedAt = DateTimeOffset.Parse("2026-11-25T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        temperature = new { value = temperature, unit = "Cel" },
    };

    private async Task<(HttpStatusCode Status, string Body, bool Replayed)> PostAsync(string key, object body)
    {
        using var http = ingestion.Client(ingestion.Ward);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/vital-signs") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task A_retry_with_the_same_key_gets_the_same_answer_and_publishes_nothing_new()
    {
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(key, Vitals(38.2));
        var published = await ingestion.PublishedSinceLastCheckAsync();
        var retry = await PostAsync(key, Vitals(38.2));

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal((HttpStatusCode.Accepted, first.Body, true), retry);
        Assert.Equal(JsonDocument.Parse(first.Body).RootElement.GetProperty("eventId").GetGuid(), Assert.Single(published).GetProperty("eventId").GetGuid());
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task A_retry_after_a_restart_of_the_service_gets_the_same_answer_and_publishes_nothing_new()
    {
        var key = Guid.NewGuid().ToString();
        var first = await PostAsync(key, Vitals(38.7));
        Assert.Single(await ingestion.PublishedSinceLastCheckAsync());

        await ingestion.RestartAsync();
        var retry = await PostAsync(key, Vitals(38.7));

        Assert.Equal((HttpStatusCode.Accepted, first.Body, true), retry);
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task The_same_key_for_a_different_request_is_refused_with_422()
    {
        var key = Guid.NewGuid().ToString();
        await PostAsync(key, Vitals(37.5));
        await ingestion.PublishedSinceLastCheckAsync();

        var other = await PostAsync(key, Vitals(39.5));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
        Assert.Equal("Idempotency-Key", JsonDocument.Parse(other.Body).RootElement.GetProperty("field").GetString());
        Assert.Empty(await ingestion.PublishedSinceLastCheckAsync());
    }

    [Fact]
    public async Task Without_a_key_every_post_is_a_new_observation()
    {
        using var http = ingestion.Client(ingestion.Ward);
        using var first = await http.PostAsJsonAsync("api/v1/vital-signs", Vitals(37.0));
        using var second = await http.PostAsJsonAsync("api/v1/vital-signs", Vitals(37.0));

        var ids = (await ingestion.PublishedSinceLastCheckAsync()).Select(e => e.GetProperty("eventId").GetGuid()).ToArray();
        Assert.Equal(2, ids.Distinct().Count());
    }
}
