using System.Net;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Grading.Service.Tests;

/// <summary>
/// Clinicians and auditors signed in by the hospital's identity provider: bearer tokens from a real OIDC provider
/// (OpenIddict over HTTP, its discovery document and JWKS read by the service) on a clinician API, beside API keys.
/// </summary>
public sealed class SignInTests(GradingFixture grading) : IClassFixture<GradingFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private string _patient = null!;

    public async Task InitializeAsync() => _patient = await AdmittedPatientAsync(grading);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A patient Grading knows (its grades answer 200 to a clinician's key), so that 200 means "let in".</summary>
    internal static async Task<string> AdmittedPatientAsync(GradingFixture grading)
    {
        var patient = $"p-{Guid.NewGuid():N}"[..14];
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        await grading.Events.PublishAsync(new PatientAdmitted(Guid.NewGuid(), patient, at, at, 58, 72, 174, 1.87, "DLBCL", "haem-3", null));
        await Eventually.That(() => grading.Client.GetAsync($"api/v1/patients/{patient}/grades"), r => r.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "Grading knows the patient");
        return patient;
    }

    private async Task<HttpStatusCode> GradesAsync(string token)
    {
        using var http = grading.ClientWithToken(token);
        using var response = await http.GetAsync($"api/v1/patients/{_patient}/grades");
        return response.StatusCode;
    }

    [Fact]
    public async Task A_clinicians_or_auditors_token_for_this_audience_is_accepted_beside_the_API_keys()
    {
        Assert.Equal(HttpStatusCode.OK, await GradesAsync(await grading.Oidc.TokenAsync(GradingFixture.Audience, Hour, "dr-ada", "clinician")));
        Assert.Equal(HttpStatusCode.OK, await GradesAsync(await grading.Oidc.TokenAsync(GradingFixture.Audience, Hour, "qa-ben", "auditor")));
        Assert.Equal(HttpStatusCode.OK, (await grading.Client.GetAsync($"api/v1/patients/{_patient}/grades")).StatusCode);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused_with_401()
    {
        var token = await grading.Oidc.TokenAsync("some-other-api", Hour, "dr-ada", "clinician");

        Assert.Equal(HttpStatusCode.Unauthorized, await GradesAsync(token));
    }

    [Fact]
    public async Task A_token_without_the_role_or_with_only_a_systems_role_is_refused_with_403()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await GradesAsync(await grading.Oidc.TokenAsync(GradingFixture.Audience, Hour, "dr-ada")));
        Assert.Equal(HttpStatusCode.Forbidden, await GradesAsync(await grading.Oidc.TokenAsync(GradingFixture.Audience, Hour, "dr-ada", "ward-system", "nurse")));
    }

    [Fact]
    public async Task A_token_is_accepted_until_it_expires_and_refused_with_401_after()
    {
        var token = await grading.Oidc.TokenAsync(GradingFixture.Audience, TimeSpan.FromSeconds(6), "dr-ada", "clinician"); // long enough for a loaded machine's first request

        Assert.Equal(HttpStatusCode.OK, await GradesAsync(token));
        await Eventually.That(() => GradesAsync(token), status => status == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(30), "the expired token is refused");
    }

    [Fact]
    public async Task A_tampered_token_or_none_at_all_is_refused_with_401()
    {
        var token = await grading.Oidc.TokenAsync(GradingFixture.Audience, Hour, "dr-ada", "clinician");
        var parts = token.Split('.');
        var forged = string.Join('.', parts[0], parts[1][..^4] + (parts[1][^4..] == "AAAA" ? "BBBB" : "AAAA"), parts[2]);

        Assert.Equal(HttpStatusCode.Unauthorized, await GradesAsync(forged));
        Assert.Equal(HttpStatusCode.Unauthorized, (await grading.Anonymous.GetAsync($"api/v1/patients/{_patient}/grades")).StatusCode);
    }
}

/// <summary>The identity provider rolls its signing key: the service reads the new JWKS and refuses the old key's tokens (a class of its own: the service reads the JWKS again at most once per 5 minutes after the first time).</summary>
public sealed class KeyRotationTests(GradingFixture grading) : IClassFixture<GradingFixture>
{
    [Fact]
    public async Task After_the_provider_rotates_its_key_new_tokens_are_accepted_and_the_old_keys_refused()
    {
        var patient = await SignInTests.AdmittedPatientAsync(grading);
        async Task<HttpStatusCode> GradesAsync(string token)
        {
            using var http = grading.ClientWithToken(token);
            using var response = await http.GetAsync($"api/v1/patients/{patient}/grades");
            return response.StatusCode;
        }

        var before = await grading.Oidc.TokenAsync(GradingFixture.Audience, TimeSpan.FromHours(1), "dr-ada", "clinician");
        Assert.Equal(HttpStatusCode.OK, await GradesAsync(before));
        var oldKey = grading.Oidc.KeyId;

        await grading.Oidc.RotateKeyAsync();
        var after = await grading.Oidc.TokenAsync(GradingFixture.Audience, TimeSpan.FromHours(1), "dr-ada", "clinician");

        // A token naming a key the service has not seen makes it read the JWKS again (the request that found the key
        // unknown is refused: the IdP normally publishes a key before it signs with it). Then the new key is taken.
        Assert.NotEqual(oldKey, grading.Oidc.KeyId);
        await Eventually.That(() => GradesAsync(after), status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the new key's token is accepted");
        Assert.Equal(HttpStatusCode.Unauthorized, await GradesAsync(before));
    }
}
