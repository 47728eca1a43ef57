using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Toxicity.Grading.Service.Tests;

/// <summary><c>POST /api/v1/grading/evaluate</c>: the request shape of issue 4, exactly, and a problem for every bad field.</summary>
public sealed class EvaluateEndpointTests(GradingFixture service) : IClassFixture<GradingFixture>
{
    private async Task<(HttpStatusCode Status, string? MediaType, JsonElement Body)> PostAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await service.Client.PostAsync("api/v1/grading/evaluate", content);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    [Fact]
    public async Task A_full_snapshot_is_graded_on_the_three_scales_with_criteria_rule_sets_and_citations()
    {
        var (status, _, body) = await PostAsync("""
            {
              "ageYears": 54, "temperatureC": 38.9, "feverMaskedByTreatment": false,
              "hypotension": "oneVasopressor", "vasopressinOnlyAdded": false,
              "oxygen": "lowFlowNasalCannula", "oxygenFlowLPerMin": 6.1, "fio2Percent": 35,
              "ice": { "orientationYear": true, "orientationMonth": true, "orientationCity": false, "orientationHospital": true,
                       "namedObjects": 2, "followsCommands": true, "writesStandardSentence": false, "countsBackwardsBy10": true },
              "consciousness": "awakensToVoice", "seizure": "none", "motor": "none", "cerebralEdema": "none", "died": false
            }
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        var crs = body.GetProperty("astctCrs");
        Assert.Equal(3, crs.GetProperty("grade").GetInt32());
        Assert.Equal(["crs.fever", "crs.hypotension.oneVasopressor", "crs.hypoxia.nasalCannulaOver6LPerMin"], Codes(crs));
        Assert.Equal("astct-2019/1", crs.GetProperty("ruleSet").GetString());
        Assert.Contains("doi:10.1016/j.bbmt.2018.12.758", crs.GetProperty("citation").GetString(), StringComparison.Ordinal);
        Assert.All(crs.GetProperty("criteria").EnumerateArray(), c => Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("description").GetString())));

        var icans = body.GetProperty("astctIcans");
        Assert.Equal(2, icans.GetProperty("grade").GetInt32()); // ICE 7 (grade 1), awakens to voice (grade 2)
        Assert.Equal(["icans.ice.7", "icans.consciousness.awakensToVoice"], Codes(icans));

        var ctcae = body.GetProperty("ctcaeCrs");
        Assert.Equal(3, ctcae.GetProperty("grade").GetInt32());
        Assert.Equal("ctcae-5.0-crs/1", ctcae.GetProperty("ruleSet").GetString());
    }

    [Fact]
    public async Task A_scale_that_cannot_be_applied_has_a_null_grade_and_says_why()
    {
        var (status, _, body) = await PostAsync("""{ "ageYears": 30, "temperatureC": 37.2 }""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("astctCrs").GetProperty("grade").GetInt32());
        var icans = body.GetProperty("astctIcans");
        Assert.Equal(JsonValueKind.Null, icans.GetProperty("grade").ValueKind);
        Assert.Contains("ICE score missing", icans.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_iceScore_that_agrees_with_the_items_is_accepted()
    {
        var (status, _, body) = await PostAsync("""
            { "ageYears": 20, "iceScore": 10, "ice": { "orientationYear": true, "orientationMonth": true, "orientationCity": true,
              "orientationHospital": true, "namedObjects": 3, "followsCommands": true, "writesStandardSentence": true, "countsBackwardsBy10": true } }
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("astctIcans").GetProperty("grade").GetInt32());
    }

    public static TheoryData<string, string> BadRequests() => new()
    {
        { """{ "temperatureC": 38.5 }""", "ageYears" },
        { """{ "ageYears": "forty" }""", "ageYears" },
        { """{ "ageYears": -1 }""", "ageYears" },
        { """{ "ageYears": 40, "temperatureC": 24.9 }""", "temperatureC" },
        { """{ "ageYears": 40, "temperatureC": 45.1 }""", "temperatureC" },
        { """{ "ageYears": 40, "temperatureC": 101.3 }""", "temperatureC" }, // °F sent as °C
        { """{ "ageYears": 40, "hypotension": "severe" }""", "hypotension" },
        { """{ "ageYears": 40, "hypotension": "OneVasopressor" }""", "hypotension" }, // names are camelCase, exactly
        { """{ "ageYears": 40, "oxygen": "nasalCannula" }""", "oxygen" },
        { """{ "ageYears": 40, "oxygen": "lowFlowNasalCannula", "oxygenFlowLPerMin": -2 }""", "oxygenFlowLPerMin" },
        { """{ "ageYears": 40, "oxygenFlowLPerMin": 4 }""", "oxygenFlowLPerMin" },
        { """{ "ageYears": 40, "fio2Percent": 101 }""", "fio2Percent" },
        { """{ "ageYears": 40, "fio2Percent": 15 }""", "fio2Percent" },
        { """{ "ageYears": 40, "iceScore": 11 }""", "iceScore" },
        { """{ "ageYears": 40, "iceScore": 7.5 }""", "iceScore" },
        { """{ "ageYears": 40, "capdScore": 33 }""", "capdScore" },
        { """{ "ageYears": 40, "consciousness": "drowsy" }""", "consciousness" },
        { """{ "ageYears": 40, "seizure": "yes" }""", "seizure" },
        { """{ "ageYears": 40, "motor": "weak" }""", "motor" },
        { """{ "ageYears": 40, "cerebralEdema": "severe" }""", "cerebralEdema" },
        { """{ "ageYears": 40, "died": "no" }""", "died" },
        { """{ "ageYears": 40, "feverMaskedByTreatment": 1 }""", "feverMaskedByTreatment" },
        { """{ "ageYears": 40, "temperaturec": 38.5 }""", "temperaturec" }, // a typo is an error, not ignored
        { """{ "ageYears": 40, "ice": { "orientationYear": true } }""", "ice.namedObjects" },
        { """{ "ageYears": 40, "ice": { "orientationYear": true, "orientationMonth": true, "orientationCity": true, "orientationHospital": true, "namedObjects": 4, "followsCommands": true, "writesStandardSentence": true, "countsBackwardsBy10": true } }""", "ice.namedObjects" },
        { """{ "ageYears": 40, "iceScore": 9, "ice": { "orientationYear": true, "orientationMonth": true, "orientationCity": true, "orientationHospital": true, "namedObjects": 3, "followsCommands": true, "writesStandardSentence": true, "countsBackwardsBy10": true } }""", "iceScore" },
        { """[ 40 ]""", "$" },
        { """{ "ageYears": 40, """, "$" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_gets_a_problem_that_names_the_field(string json, string field)
    {
        var (status, mediaType, body) = await PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out var messages), $"no error for '{field}' in {body}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once()
    {
        var (status, _, body) = await PostAsync("""{ "ageYears": 40, "temperatureC": 50, "iceScore": 11, "oxygen": "tent" }""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var fields = body.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["iceScore", "oxygen", "temperatureC"], fields);
    }

    private static string[] Codes(JsonElement scale) =>
        [.. scale.GetProperty("criteria").EnumerateArray().Select(c => c.GetProperty("code").GetString()!)];
}
