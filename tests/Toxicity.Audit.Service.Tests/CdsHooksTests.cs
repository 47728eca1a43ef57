using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Toxicity.Contracts.V1;
using Toxicity.Testing;
using Xunit;

namespace Toxicity.Audit.Service.Tests;

/// <summary>
/// The CDS Hooks service on Audit (docs/cds-hooks.md), as a process on a real broker, called by a test EHR that signs
/// its JWTs with a P-384 key served as a JWK Set over HTTP: discovery, the patient-view card (its JSON shape as CDS
/// Hooks 2.0 defines it, its words from the published grades and advice), feedback recorded in the log without the
/// user's comment, and every way a JWT is refused.
/// </summary>
public sealed class CdsHooksTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly string[] Indicators = ["info", "warning", "critical"];
    private readonly ApiKey _auditor = new("cds-auditor", "auditor");
    private RabbitMqBroker _broker = null!;
    private WardEvents _events = null!;
    private CdsHooksClient _ehr = null!;
    private ServiceProcess _audit = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqBroker.StartAsync();
        _events = await WardEvents.ConnectAsync(_broker.AmqpUri);
        _ehr = await CdsHooksClient.StartAsync();
        _audit = new ServiceProcess("Audit", _broker.AmqpUri, new Dictionary<string, string>(_auditor.Settings(0).Concat(_ehr.Settings()))
        {
            ["CdsHooks__BoardAddress"] = "https://toxicity.example.org/",
        });
        await _audit.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _audit.DisposeAsync();
        await _ehr.DisposeAsync();
        await _events.DisposeAsync();
        await _broker.DisposeAsync();
    }

    private string Service => $"{_audit.BaseAddress}cds-services/toxicity-grades";

    [Fact]
    public async Task Discovery_lists_the_patient_view_service()
    {
        using var http = _audit.CreateClient();
        var discovery = await http.GetFromJsonAsync<JsonElement>("cds-services");
        var service = Assert.Single(discovery.GetProperty("services").EnumerateArray());
        Assert.Equal(("patient-view", "toxicity-grades"), (service.GetProperty("hook").GetString(), service.GetProperty("id").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("description").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Patient_view_answers_a_card_of_the_published_grades_and_advice_and_feedback_is_recorded_without_the_comment()
    {
        var patient = $"cds-{Guid.NewGuid():N}"[..12];
        var now = DateTimeOffset.UtcNow.AddMinutes(-30);
        await _events.PublishAsync(
            new PatientAdmitted(Guid.NewGuid(), patient, now, now, 61, 78, 176, 1.94, "DLBCL", "haem-3", null),
            new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 2, "astct-2019/2", ["crs.fever", "crs.hypotension"]),
            new IcansGradeChanged(Guid.NewGuid(), patient, now.AddMinutes(5), now.AddMinutes(5), Guid.NewGuid(), 0, 2, 2, "astct-2019/2",
                ["icans.consciousness.awakensToVoice"], true, false, false),
            new MitigationAdvised(Guid.NewGuid(), patient, now.AddMinutes(6), now.AddMinutes(6), Guid.NewGuid(),
                [new AdviceItem("general.crs2.tocilizumab", "Consider (clinician to confirm): tocilizumab 8 mg/kg IV over 1 h, not to exceed 800 mg per dose.",
                    "CLINICAL-RULES.md §4.1 (S-LEE2014-c; S-MIAMI)")]));
        await WaitForGradesAsync(patient, 2);

        var response = await CallAsync(Service, PatientView(patient), _ehr.Token(Service));
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var card = Assert.Single(response.Body.GetProperty("cards").EnumerateArray());
        AssertCardShape(card);
        Assert.Equal("CRS grade 2 · ICANS at least 2 (ASTCT)", card.GetProperty("summary").GetString());
        Assert.Equal("warning", card.GetProperty("indicator").GetString());
        var detail = card.GetProperty("detail").GetString()!;
        Assert.Contains("tocilizumab 8 mg/kg IV over 1 h", detail, StringComparison.Ordinal);
        Assert.Contains("CLINICAL-RULES.md §4.1 (S-LEE2014-c; S-MIAMI)", detail, StringComparison.Ordinal);
        Assert.Contains("for a clinician to confirm", detail, StringComparison.Ordinal);
        Assert.Equal("Toxicity grading (astct-2019/2)", card.GetProperty("source").GetProperty("label").GetString());
        var link = Assert.Single(card.GetProperty("links").EnumerateArray());
        Assert.Equal(($"https://toxicity.example.org/board/chart.html?patient={patient}", "absolute"), (link.GetProperty("url").GetString(), link.GetProperty("type").GetString()));
        Assert.Contains("alternative-cause", card.GetProperty("overrideReasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()));

        // The same hook call again gives the same card; a patient with no grade gets no card.
        var again = await CallAsync(Service, PatientView(patient, response.HookInstance), _ehr.Token(Service));
        Assert.Equal(card.GetProperty("uuid").GetString(), again.Body.GetProperty("cards")[0].GetProperty("uuid").GetString());
        Assert.Equal(0, (await CallAsync(Service, PatientView($"none-{Guid.NewGuid():N}"[..12]), _ehr.Token(Service))).Body.GetProperty("cards").GetArrayLength());

        // Feedback: overridden with a reason and a comment, then accepted; recorded once each, the comment nowhere.
        var feedbackUrl = $"{Service}/feedback";
        var feedback = new
        {
            feedback = new object[]
            {
                new
                {
                    card = card.GetProperty("uuid").GetString(), outcome = "overridden",
                    overrideReason = new { reason = new { code = "alternative-cause", system = "https://toxicity.dev/fhir/CodeSystem/alert-decline-reason" }, userComment = "looks like line sepsis" },
                    outcomeTimestamp = DateTimeOffset.UtcNow.ToString("O"),
                },
            },
        };
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(feedbackUrl, feedback, _ehr.Token(feedbackUrl))).Status);
        var accepted = new { feedback = new[] { new { card = card.GetProperty("uuid").GetString(), outcome = "accepted", outcomeTimestamp = DateTimeOffset.UtcNow.ToString("O") } } };
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(feedbackUrl, accepted, _ehr.Token(feedbackUrl))).Status);

        using var auditor = _audit.CreateClient(_auditor);
        var recorded = await Eventually.That(
            async () => await auditor.GetStringAsync($"api/v1/audit/events?patientId={patient}&types=CdsFeedbackRecorded,AuditRequested"),
            text => text.Contains("\"outcome\":\"accepted\"", StringComparison.Ordinal) && text.Contains("\"outcome\":\"overridden\"", StringComparison.Ordinal),
            Deadline, "the feedback in the log");
        var lines = recorded.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event")).ToList();
        var overridden = Assert.Single(lines, l => l.TryGetProperty("outcome", out var o) && o.GetString() == "overridden");
        Assert.Equal(("alternative-cause", _ehr.Issuer, "toxicity-grades"), (overridden.GetProperty("overrideReason").GetString(), overridden.GetProperty("client").GetString(), overridden.GetProperty("serviceId").GetString()));
        Assert.DoesNotContain("line sepsis", recorded, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.TryGetProperty("action", out var a) && a.GetString() == "cds-patient-view" && l.GetProperty("auditor").GetString() == _ehr.Issuer);

        // Bad feedback named: a card this service never gave, a reason not offered.
        var unknown = await CallAsync(feedbackUrl, new { feedback = new[] { new { card = Guid.NewGuid().ToString(), outcome = "accepted", outcomeTimestamp = DateTimeOffset.UtcNow.ToString("O") } } }, _ehr.Token(feedbackUrl));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.True(unknown.Body.GetProperty("errors").TryGetProperty("feedback[0].card", out _));
        var badReason = await CallAsync(feedbackUrl, new
        {
            feedback = new[] { new { card = card.GetProperty("uuid").GetString(), outcome = "overridden", overrideReason = new { reason = new { code = "bored", system = "https://toxicity.dev/fhir/CodeSystem/alert-decline-reason" } }, outcomeTimestamp = DateTimeOffset.UtcNow.ToString("O") } },
        }, _ehr.Token(feedbackUrl));
        Assert.True(badReason.Body.GetProperty("errors").TryGetProperty("feedback[0].overrideReason.reason", out _));
    }

    [Fact]
    public async Task A_critical_grade_gives_a_critical_card()
    {
        var patient = $"cds-{Guid.NewGuid():N}"[..12];
        var now = DateTimeOffset.UtcNow.AddMinutes(-10);
        await _events.PublishAsync(
            new PatientAdmitted(Guid.NewGuid(), patient, now, now, 61, 78, 176, 1.94, "DLBCL", "haem-3", null),
            new CrsGradeChanged(Guid.NewGuid(), patient, now, now, Guid.NewGuid(), 0, 3, "astct-2019/2", ["crs.fever", "crs.hypotension.vasopressor"]));
        await WaitForGradesAsync(patient, 1);
        var card = (await CallAsync(Service, PatientView(patient), _ehr.Token(Service))).Body.GetProperty("cards")[0];
        Assert.Equal(("critical", "CRS grade 3 · ICANS not graded (ASTCT)"), (card.GetProperty("indicator").GetString(), card.GetProperty("summary").GetString()));
    }

    [Fact]
    public async Task A_call_without_a_valid_JWT_of_a_trusted_EHR_is_refused()
    {
        var body = PatientView("p-any");
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var jti = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(Service, body, _ehr.Token(Service, jti: jti))).Status);
        foreach (var (token, why) in new (string?, string)[]
        {
            (null, "no Authorization header"),
            ("not-a-jwt", "not a JWT"),
            (_ehr.Token(Service, jti: jti), "a jti used before"),
            (_ehr.Token(Service, signWith: other), "signed by another key"),
            (_ehr.Token($"{_audit.BaseAddress}cds-services/another"), "another audience"),
            (_ehr.Token(Service, issuer: "https://someone-else.example"), "an untrusted issuer"),
            (_ehr.Token(Service, issuedAt: DateTimeOffset.UtcNow.AddMinutes(-10)), "expired"),
            (_ehr.Token(Service, lifetime: TimeSpan.FromMinutes(30)), "living longer than 5 minutes"),
        })
        {
            var refused = await CallAsync(Service, body, token);
            Assert.True(refused.Status == HttpStatusCode.Unauthorized, $"{why}: {(int)refused.Status}");
        }

        // The EHR rotates its key: the new key's JWT is accepted (the JWK Set is read again), the old one's no longer.
        var old = _ehr.Token(Service);
        _ehr.Rotate();
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // the JWK Set is read again for an unknown key at most once a second
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(Service, body, _ehr.Token(Service))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(Service, body, old)).Status);
    }

    private static void AssertCardShape(JsonElement card)
    {
        // CDS Hooks 2.0 "Card attributes": summary (< 140 characters), indicator, source.label required; links typed.
        Assert.True(Guid.TryParse(card.GetProperty("uuid").GetString(), out _));
        Assert.InRange(card.GetProperty("summary").GetString()!.Length, 1, 139);
        Assert.Contains(card.GetProperty("indicator").GetString(), Indicators);
        Assert.False(string.IsNullOrWhiteSpace(card.GetProperty("source").GetProperty("label").GetString()));
        Assert.All(card.GetProperty("links").EnumerateArray(), l => Assert.Contains(l.GetProperty("type").GetString(), new[] { "absolute", "smart" }));
        Assert.All(card.GetProperty("overrideReasons").EnumerateArray(), r =>
        {
            Assert.False(string.IsNullOrEmpty(r.GetProperty("code").GetString()));
            Assert.False(string.IsNullOrEmpty(r.GetProperty("system").GetString()));
        });
        Assert.False(card.TryGetProperty("suggestions", out _), "no suggestions, so no selectionBehavior");
    }

    private static JsonObject PatientView(string patient, Guid? hookInstance = null) => new()
    {
        ["hookInstance"] = (hookInstance ?? Guid.NewGuid()).ToString(),
        ["fhirServer"] = "https://ehr.example.org/fhir",
        ["hook"] = "patient-view",
        ["context"] = new JsonObject { ["userId"] = "Practitioner/example", ["patientId"] = patient },
    };

    private async Task<(HttpStatusCode Status, JsonElement Body, Guid HookInstance)> CallAsync(string url, object body, string? token)
    {
        using var http = _audit.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var hook = body is JsonObject o && o["hookInstance"] is { } h ? Guid.Parse(h.GetValue<string>()) : Guid.Empty;
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), hook);
    }

    private async Task WaitForGradesAsync(string patient, int count)
    {
        using var auditor = _audit.CreateClient(_auditor);
        await Eventually.That(() => auditor.GetFromJsonAsync<JsonElement>($"fhir/r4/Observation?subject=Patient/{patient}"),
            b => b.GetProperty("total").GetInt32() == count, Deadline, "the grades in Audit's store");
    }
}
