using System.Text.Json;
using System.Text.RegularExpressions;
using Toxicity.Contracts;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;

namespace Toxicity.Ingestion.Service.Requests;

/// <summary>
/// <c>PUT /api/v1/patients/{patientId}</c>: admits a patient (the first time) or updates the details; death is
/// recorded here too (<c>diedAt</c>). The id is pseudonymous; nothing here may identify a person.
/// <c>developmentalDelay</c> and <c>baselineCapd</c> make CAPD the ICANS score at 12 years and over (CLINICAL-RULES.md §8.1 C2-DD-1).
/// </summary>
internal static partial class PatientRequest
{
    private static readonly string[] Fields =
        ["ageYears", "weightKg", "heightCm", "bodySurfaceAreaM2", "diagnosis", "ward", "diedAt", "recordedAt", "developmentalDelay", "baselineCapd"];

    /// <summary>
    /// The diagnoses of the bispecific labels (CLINICAL-RULES.md §5), and <c>other</c>: B-ALL, large B-cell lymphomas and
    /// follicular lymphoma (§5.1-5.5), multiple myeloma (<c>MM</c>, §5.7-5.10), small-cell lung cancer (<c>SCLC</c>,
    /// §5.11) and uveal melanoma (<c>uveal-melanoma</c>, §5.12).
    /// </summary>
    public static readonly string[] Diagnoses = ["B-ALL", "DLBCL", "LBCL", "HGBCL", "FL", "MM", "SCLC", "uveal-melanoma", "other"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")]
    private static partial Regex WardCode();

    public static RequestReader Reader(string patientId, bool admitted) => (body, ids, now, errors) => Read(patientId, admitted, body, ids, now, errors);

    private static IReadOnlyList<IPatientEvent>? Read(string patientId, bool admitted, JsonElement body, EventIdSource ids, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        var fields = new JsonFields(body, errors);
        fields.RejectUnknown(Fields);
        if (!Common.IsPatientId(patientId))
        {
            errors["patientId"] = ["The patient id in the path must be a pseudonymous id of 1-64 letters, digits, '.', '_' or '-' (never a name)."];
        }

        fields.Require("ageYears");
        fields.Require("diagnosis");
        var age = fields.Number("ageYears", 0, Limits.MaxAgeYears, " years");
        var weight = fields.Number("weightKg", Limits.MinWeightKg, Limits.MaxWeightKg, " kg");
        var height = fields.Number("heightCm", Limits.MinHeightCm, Limits.MaxHeightCm, " cm");
        var bsa = fields.Number("bodySurfaceAreaM2", Limits.MinBodySurfaceAreaM2, Limits.MaxBodySurfaceAreaM2, " m²");
        var diagnosis = fields.Code("diagnosis", Diagnoses);
        var ward = fields.String("ward", 64);
        if (ward is not null && !WardCode().IsMatch(ward))
        {
            fields.Fail("ward", "ward must be a ward code of letters, digits, spaces, '.', '_' or '-'.");
        }

        var developmentalDelay = fields.Bool("developmentalDelay");
        var baselineCapd = fields.Integer("baselineCapd", 0, Limits.MaxCapd);
        var diedAt = fields.Has("diedAt") ? Common.ClinicalTime(fields, "diedAt", now) : null;
        var recordedAt = fields.Has("recordedAt") ? Common.ClinicalTime(fields, "recordedAt", now) : now;
        if (errors.Count > 0)
        {
            return null;
        }

        IPatientEvent fact = admitted
            ? new PatientDetailsUpdated(ids.Next(), patientId, recordedAt ?? now, now, age!.Value, weight, height, bsa, diagnosis!, ward, diedAt, developmentalDelay, baselineCapd)
            : new PatientAdmitted(ids.Next(), patientId, recordedAt ?? now, now, age!.Value, weight, height, bsa, diagnosis!, ward, diedAt, developmentalDelay, baselineCapd);
        return [fact];
    }
}
