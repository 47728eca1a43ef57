using System.Text.Json;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Ingestion.Service.Requests;

/// <summary>
/// <c>POST /api/v1/treatments</c>: bispecific doses, premedication, tocilizumab, corticosteroids, antipyretics, and
/// infusion interruptions and restarts, each with <c>administeredAt</c>. Drugs are codes, never free text.
/// </summary>
internal static class TreatmentRequest
{
    private static readonly string[] Fields = ["patientId", "administeredAt", "kind", "drug", "dose", "doseUnit", "route"];

    /// <summary>The T-cell engagers of the regimen catalogue (CLINICAL-RULES.md §5), the one list of them.</summary>
    public static readonly string[] Bispecifics = [.. RegimenCatalogue.All.Select(r => r.Drug).Distinct(StringComparer.Ordinal)];

    /// <summary>The drugs each kind allows. Premedication covers the label premedications (CLINICAL-RULES.md §5) and obinutuzumab pretreatment.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> DrugsByKind = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["bispecificDose"] = Bispecifics,
        ["infusionInterrupted"] = Bispecifics,
        ["infusionRestarted"] = Bispecifics,
        ["premedication"] = ["dexamethasone", "methylprednisolone", "prednisolone", "acetaminophen", "diphenhydramine", "obinutuzumab"],
        ["tocilizumab"] = ["tocilizumab"],
        ["corticosteroid"] = ["dexamethasone", "methylprednisolone", "prednisolone", "hydrocortisone"],
        ["antipyretic"] = ["acetaminophen", "ibuprofen", "metamizole"],
    };

    private static readonly string[] Kinds = [.. DrugsByKind.Keys];
    public static readonly string[] Units = ["mg", "ug", "ug/d", "ug/m2/d", "mg/kg", "mg/m2"];
    public static readonly string[] Routes = ["IV", "SC", "PO"];

    public static IReadOnlyList<IPatientEvent>? Read(JsonElement body, EventIdSource ids, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        var fields = new JsonFields(body, errors);
        fields.RejectUnknown(Fields);
        var patientId = Common.PatientId(fields);
        var administeredAt = Common.ClinicalTime(fields, "administeredAt", now);
        fields.Require("kind");
        fields.Require("drug");
        var kind = fields.Code("kind", Kinds);
        var drug = kind is null ? fields.String("drug", 64) : fields.Code("drug", DrugsByKind[kind]);
        var dose = fields.Number("dose", 0, double.MaxValue);
        var unit = fields.Code("doseUnit", Units);
        var route = fields.Code("route", Routes);

        var interruption = kind is "infusionInterrupted" or "infusionRestarted";
        if (interruption && fields.Has("dose"))
        {
            fields.Fail("dose", "An infusion interruption or restart carries no dose; record the dose given as a bispecificDose.");
        }
        else if (kind is not null && !interruption)
        {
            fields.Require("dose");
            fields.Require("doseUnit");
            if (dose == 0)
            {
                fields.Fail("dose", "dose must be above 0.");
            }
        }

        var administered = new TreatmentAdministered(
            ids.Next(), patientId ?? string.Empty, administeredAt ?? now, now, kind ?? string.Empty, drug, dose, unit, route);
        return errors.Count == 0 ? [administered] : null;
    }
}
