using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Grading;
using Toxicity.Hosting;

namespace Toxicity.Ingestion.Service.Requests;

/// <summary>
/// <c>POST /api/v1/neuro-assessments</c>: ICE (total or items), CAPD for children, and the other ICANS domains;
/// <c>consciousness</c> <c>alert</c> for a normal patient (rule set /2: <c>awakensSpontaneously</c> is a drowsy one, grade 1);
/// <c>sedated</c> when the patient was assessed under sedation (CLINICAL-RULES.md §8.1 C2-SED-1).
/// </summary>
internal static class NeuroAssessmentRequest
{
    private static readonly string[] Fields =
        ["patientId", "observedAt", "iceScore", "ice", "capdScore", "consciousness", "seizure", "motor", "cerebralEdema", "sedated"];

    private static readonly string[] Findings = [.. Fields.Except(["patientId", "observedAt"])];

    /// <summary>The ICE items by their field names (also the codes <c>ice.&lt;item&gt;</c> of the FHIR code system).</summary>
    public static readonly string[] IceFields =
    [
        "orientationYear", "orientationMonth", "orientationCity", "orientationHospital", "namedObjects",
        "followsCommands", "writesStandardSentence", "countsBackwardsBy10",
    ];

    public static IReadOnlyList<IPatientEvent>? Read(JsonElement body, EventIdSource ids, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        var fields = new JsonFields(body, errors);
        fields.RejectUnknown(Fields);
        var patientId = Common.PatientId(fields);
        var observedAt = Common.ClinicalTime(fields, "observedAt", now);
        if (!Findings.Any(fields.Has))
        {
            errors["$"] = [$"At least one finding is required: {string.Join(", ", Findings)}."];
        }

        var iceScore = fields.Integer("iceScore", 0, Limits.MaxIce);
        var items = fields.Object("ice") is { } ice ? IceTotal(ice) : null;
        if (iceScore is { } given && items is { } total && total != given)
        {
            errors["iceScore"] = [$"iceScore {given} disagrees with the ICE items, which add up to {total}."];
            errors["ice"] = [$"The ICE items add up to {total}, but iceScore is {given}."];
        }

        var recorded = new NeuroAssessmentRecorded(
            ids.Next(), patientId ?? string.Empty, observedAt ?? now, now,
            IceScore: iceScore ?? items,
            CapdScore: fields.Integer("capdScore", 0, Limits.MaxCapd),
            Consciousness: Name(fields.Enum<Consciousness>("consciousness")),
            Seizure: Name(fields.Enum<Seizure>("seizure")),
            Motor: Name(fields.Enum<MotorFinding>("motor")),
            CerebralEdema: Name(fields.Enum<CerebralEdema>("cerebralEdema")),
            Sedated: fields.Bool("sedated"));
        return errors.Count == 0 ? [recorded] : null;
    }

    private static int? IceTotal(JsonFields ice)
    {
        ice.RejectUnknown(IceFields);
        var complete = IceFields.Aggregate(true, (all, field) => ice.Require(field) && all);
        var items = new IceItems(
            ice.Bool("orientationYear") ?? false, ice.Bool("orientationMonth") ?? false,
            ice.Bool("orientationCity") ?? false, ice.Bool("orientationHospital") ?? false,
            ice.Integer("namedObjects", 0, Limits.MaxNamedObjects) ?? 0, ice.Bool("followsCommands") ?? false,
            ice.Bool("writesStandardSentence") ?? false, ice.Bool("countsBackwardsBy10") ?? false);
        return complete ? items.Total : null;
    }

    private static string? Name<TEnum>(TEnum? value)
        where TEnum : struct, Enum => value is { } v ? JsonNamingPolicy.CamelCase.ConvertName(v.ToString()) : null;
}
