using System.Globalization;
using System.Text.Json;
using Toxicity.Hosting;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Service;

/// <summary>
/// Reads the body of <c>PUT /api/v1/patients/{id}/treatment-plan</c> strictly: <c>regimenId</c> (a catalogue id) and
/// <c>cycle1Day1</c> (a date, <c>yyyy-MM-dd</c>), nothing else. Every bad field is reported by its name.
/// </summary>
internal static class TreatmentPlanRequest
{
    private static readonly string[] Fields = ["regimenId", "cycle1Day1"];

    public static (Regimen Regimen, DateOnly Cycle1Day1)? Read(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be a JSON object."];
            return null;
        }

        var fields = new JsonFields(body, errors);
        fields.RejectUnknown(Fields);
        fields.Require("regimenId");
        fields.Require("cycle1Day1");
        var regimen = fields.Code("regimenId", [.. RegimenCatalogue.All.Select(r => r.Id)]) is { } id ? RegimenCatalogue.Find(id) : null;
        DateOnly? day = null;
        if (fields.String("cycle1Day1", 10) is { } text)
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                day = parsed;
            }
            else
            {
                fields.Fail("cycle1Day1", "cycle1Day1 must be a date as yyyy-MM-dd.");
            }
        }

        if (regimen is { Status: RegimenStatus.Investigational })
        {
            fields.Fail("regimenId", $"{regimen.Id} is investigational, not a label regimen: it cannot be a treatment plan.");
        }

        return errors.Count == 0 && regimen is not null && day is { } c1d1 ? (regimen, c1d1) : null;
    }
}
