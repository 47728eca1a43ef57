using System.Text.Json;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

/// <summary>
/// Reads the body of <c>POST /api/v1/grading/evaluate</c> strictly: exactly the documented camelCase fields,
/// each of its type and range, enum values by name. Every bad field is reported, keyed by its JSON path, for an
/// RFC 9457 validation problem; a typo is an error, never silently ignored. <c>ruleSet</c> picks the rule set
/// (default the live <c>astct-2019/2</c>); the fields rule set /2 added (CLINICAL-RULES.md §8.1 C2-CAL-1) are refused
/// under <c>astct-2019/1</c>, which has no meaning for them.
/// </summary>
internal static class EvaluateRequest
{
    // Issue 4: a temperature outside 25-45 °C is rejected (impossible in a living patient; a unit mistake).
    private const double MinTemperatureC = 25.0;
    private const double MaxTemperatureC = 45.0;

    // Project convention (README "Grading calculator"): ages 0-130 years.
    private const double MaxAgeYears = 130.0;

    // Physics: inspired O2 is at least room air (21%) and at most 100%.
    private const double MinFio2Percent = 21.0;
    private const double MaxFio2Percent = 100.0;

    // CLINICAL-RULES.md §2.1 (ICE 0-10, objects 0-3) and §2.4 (CAPD 8 items scored 0-4: 0-32).
    private const int MaxIce = 10;
    private const int MaxNamedObjects = 3;
    private const int MaxCapd = 32;

    private static readonly string[] V2Fields = ["premedicationMasked", "sedated", "developmentalDelay", "baselineCapd"];

    private static readonly string[] Fields =
    [
        "ruleSet", "ageYears", "temperatureC", "feverMaskedByTreatment", "hypotension", "vasopressinOnlyAdded", "oxygen",
        "oxygenFlowLPerMin", "fio2Percent", "iceScore", "ice", "capdScore", "consciousness", "seizure", "motor",
        "cerebralEdema", "died", .. V2Fields,
    ];

    private static readonly string[] IceFields =
    [
        "orientationYear", "orientationMonth", "orientationCity", "orientationHospital", "namedObjects",
        "followsCommands", "writesStandardSentence", "countsBackwardsBy10",
    ];

    public static (Assessment Assessment, RuleSet RuleSet)? Read(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be a JSON object."];
            return null;
        }

        var reader = new JsonFields(body, errors);
        reader.RejectUnknown(Fields);
        var ruleSetId = reader.Code("ruleSet", [.. GradingRuleSets.All.Select(r => r.Id)]);
        var ruleSet = reader.Has("ruleSet") ? GradingRuleSets.Find(ruleSetId) : GradingRuleSets.Live;
        if (ruleSet == RuleSet.Astct2019)
        {
            foreach (var field in V2Fields.Where(reader.Has))
            {
                reader.Fail(field, $"{field} is a field of rule set {RuleSet.Astct2019v2.Id} (CLINICAL-RULES.md §8.1); rule set {RuleSet.Astct2019.Id} has no meaning for it.");
            }
        }

        var age = reader.Number("ageYears", 0, MaxAgeYears);
        if (!body.TryGetProperty("ageYears", out _))
        {
            errors["ageYears"] = ["ageYears is required."];
        }

        var temperature = reader.Number("temperatureC", MinTemperatureC, MaxTemperatureC);
        var oxygen = reader.Enum<OxygenSupport>("oxygen");
        var flow = reader.Number("oxygenFlowLPerMin", 0, double.MaxValue);
        if (flow > 0 && oxygen is null or OxygenSupport.None)
        {
            errors["oxygenFlowLPerMin"] = ["An oxygen flow needs an oxygen device in 'oxygen'."];
        }

        var iceScore = reader.Integer("iceScore", 0, MaxIce);
        var iceItems = ReadIce(body, errors);
        if (iceScore is { } given && iceItems is { } items && items.Total != given)
        {
            errors["iceScore"] = [$"iceScore {given} disagrees with the ICE items, which add up to {items.Total}."];
            errors["ice"] = [$"The ICE items add up to {items.Total}, but iceScore is {given}."];
        }

        var assessment = new Assessment
        {
            AgeYears = age ?? 0,
            TemperatureC = temperature,
            FeverMaskedByTreatment = reader.Bool("feverMaskedByTreatment") ?? false,
            Hypotension = reader.Enum<Hypotension>("hypotension"),
            VasopressinOnlyAdded = reader.Bool("vasopressinOnlyAdded") ?? false,
            Oxygen = oxygen,
            OxygenFlowLPerMin = flow,
            Fio2Percent = reader.Number("fio2Percent", MinFio2Percent, MaxFio2Percent),
            IceScore = iceScore ?? iceItems?.Total,
            CapdScore = reader.Integer("capdScore", 0, MaxCapd),
            Consciousness = reader.Enum<Consciousness>("consciousness"),
            Seizure = reader.Enum<Seizure>("seizure"),
            Motor = reader.Enum<MotorFinding>("motor"),
            CerebralEdema = reader.Enum<CerebralEdema>("cerebralEdema"),
            Died = reader.Bool("died") ?? false,
            PremedicationMasked = reader.Bool("premedicationMasked") ?? false,
            Sedated = reader.Bool("sedated") ?? false,
            DevelopmentalDelay = reader.Bool("developmentalDelay") ?? false,
            BaselineCapd = reader.Integer("baselineCapd", 0, MaxCapd),
        };
        return errors.Count == 0 && ruleSet is not null ? (assessment, ruleSet) : null;
    }

    private static IceItems? ReadIce(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("ice", out var ice) || ice.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (ice.ValueKind != JsonValueKind.Object)
        {
            errors["ice"] = ["ice must be an object with the ICE items."];
            return null;
        }

        var reader = new JsonFields(ice, errors, "ice.");
        reader.RejectUnknown(IceFields);
        var before = errors.Count;
        foreach (var field in IceFields.Where(f => !ice.TryGetProperty(f, out var v) || v.ValueKind == JsonValueKind.Null))
        {
            errors[$"ice.{field}"] = [$"ice.{field} is required: the ICE total needs every item."];
        }

        var items = new IceItems(
            reader.Bool("orientationYear") ?? false,
            reader.Bool("orientationMonth") ?? false,
            reader.Bool("orientationCity") ?? false,
            reader.Bool("orientationHospital") ?? false,
            reader.Integer("namedObjects", 0, MaxNamedObjects) ?? 0,
            reader.Bool("followsCommands") ?? false,
            reader.Bool("writesStandardSentence") ?? false,
            reader.Bool("countsBackwardsBy10") ?? false);
        return errors.Count == before ? items : null;
    }
}
