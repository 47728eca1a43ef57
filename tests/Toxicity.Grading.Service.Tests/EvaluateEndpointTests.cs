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
              "ruleSet": "astct-2019/1",
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
        var (status, _, body) = await PostAsync("""{ "ruleSet": "astct-2019/1", "ageYears": 30, "temperatureC": 37.2 }""");

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

    [Fact]
    public async Task Issue_14_rule_set_2_is_the_default_and_awakens_to_voice_without_ICE_is_at_least_2()
    {
        var (status, _, body) = await PostAsync("""{ "ageYears": 60, "consciousness": "awakensToVoice" }""");

        Assert.Equal(HttpStatusCode.OK, status);
        var icans = body.GetProperty("astctIcans");
        Assert.Equal((2, true, "astct-2019/2"), (icans.GetProperty("grade").GetInt32(), icans.GetProperty("lowerBound").GetBoolean(), icans.GetProperty("ruleSet").GetString()));
        Assert.Equal(["icans.consciousness.awakensToVoice", "icans.lowerBound.scoreMissing"], Codes(icans));
        Assert.Equal("ctcae-5.0-crs/2", body.GetProperty("ctcaeCrs").GetProperty("ruleSet").GetString());
    }

    [Fact]
    public async Task Issue_14_a_drowsy_adult_who_wakes_by_themselves_with_ICE_10_is_grade_1_under_2_and_0_under_1()
    {
        const string Drowsy = "\"ageYears\": 60, \"iceScore\": 10, \"consciousness\": \"awakensSpontaneously\"";

        var (_, _, v2) = await PostAsync("{ " + Drowsy + " }");
        var (_, _, v1) = await PostAsync("{ \"ruleSet\": \"astct-2019/1\", " + Drowsy + " }");

        Assert.Equal(1, v2.GetProperty("astctIcans").GetProperty("grade").GetInt32());
        Assert.Equal(0, v1.GetProperty("astctIcans").GetProperty("grade").GetInt32());
    }

    [Fact]
    public async Task C2_CAL_1_premedication_masking_sedation_and_developmental_delay_are_taken_under_rule_set_2()
    {
        var (status, _, body) = await PostAsync("""
            { "ageYears": 30, "temperatureC": 37.1, "premedicationMasked": true, "hypotension": "oneVasopressor", "oxygen": "none",
              "sedated": false, "developmentalDelay": true, "baselineCapd": 10, "capdScore": 10, "consciousness": "alert" }
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        var crs = body.GetProperty("astctCrs");
        Assert.Equal((3, true, false), (crs.GetProperty("grade").GetInt32(), crs.GetProperty("provisional").GetBoolean(), crs.GetProperty("lowerBound").GetBoolean()));
        Assert.Equal(["crs.possibleMaskedFever", "crs.hypotension.oneVasopressor"], Codes(crs));
        var icans = body.GetProperty("astctIcans");
        Assert.Equal(3, icans.GetProperty("grade").GetInt32()); // CAPD 10 at 30 years with developmental delay
        Assert.Contains("icans.warning.capdAtBaseline", icans.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task C2_CAL_1_the_fields_of_rule_set_2_are_refused_under_rule_set_1()
    {
        var (status, _, body) = await PostAsync("""{ "ruleSet": "astct-2019/1", "ageYears": 30, "premedicationMasked": true, "sedated": true }""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["premedicationMasked", "sedated"], body.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string> BadRequests() => new()
    {
        { """{ "ageYears": 40, "ruleSet": "astct-2019/9" }""", "ruleSet" },
        { """{ "ageYears": 40, "premedicationMasked": "yes" }""", "premedicationMasked" },
        { """{ "ageYears": 40, "baselineCapd": 33 }""", "baselineCapd" },
        { """{ "ageYears": 40, "consciousness": "Alert" }""", "consciousness" },
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
