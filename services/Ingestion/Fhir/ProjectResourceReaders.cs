using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Toxicity.Contracts;
using Toxicity.Ingestion.Service.Requests;

namespace Toxicity.Ingestion.Service.Fhir;

/// <summary>
/// Neuro assessments (an Observation coded <c>neuroAssessment</c> with a component per domain) and treatments
/// (MedicationAdministration) read into the JSON API's body and checked by its own readers
/// (<see cref="NeuroAssessmentRequest"/>, <see cref="TreatmentRequest"/>), so both paths refuse exactly the same; each
/// refusal names the FHIR element it came from.
/// </summary>
internal static class ProjectResourceReaders
{
    public static bool IsNeuroAssessment(Observation observation) =>
        observation.Code?.Coding.Any(c => c.System == ProjectCodeSystems.NeuroAssessment && c.Code == ProjectCodeSystems.NeuroAssessmentCode) == true;

    public static IPatientEvent? ReadNeuroAssessment(Observation observation, string at, EventIdSource ids, DateTimeOffset now, List<FhirIssue> issues)
    {
        var body = new JsonObject();
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        ObservationReader.CheckStatus(observation, at, issues);

        Subject(observation.Subject, at, body, paths);
        Effective(observation.Effective, $"{at}.effective", "observedAt", body, paths);
        if (observation.Value is not null)
        {
            issues.Add(Bad($"{at}.value", "A neuro assessment carries its domains as components, not in value[x]."));
        }

        JsonObject? ice = null;
        for (var i = 0; i < observation.Component.Count; i++)
        {
            var component = observation.Component[i];
            var path = $"{at}.component[{i}]";
            var code = component.Code?.Coding.FirstOrDefault(c => c.System == ProjectCodeSystems.NeuroAssessment)?.Code;
            JsonNode? value = component.Value switch
            {
                Integer { Value: { } n } => n,
                FhirBoolean { Value: { } b } => b,
                CodeableConcept concept when code is not null && concept.Coding.FirstOrDefault(c => c.System == ProjectCodeSystems.NeuroAssessment)?.Code is { } coded
                    => coded.StartsWith(code + ".", StringComparison.Ordinal) ? coded[(code.Length + 1)..] : coded,
                _ => null,
            };
            if (code is null)
            {
                issues.Add(Bad($"{path}.code", $"Each component is coded in {ProjectCodeSystems.NeuroAssessment} (docs/fhir.md)."));
            }
            else if (value is null)
            {
                issues.Add(Bad($"{path}.value", $"Component {code} needs a value: valueInteger, valueBoolean, or valueCodeableConcept in {ProjectCodeSystems.NeuroAssessment} (docs/fhir.md)."));
            }
            else if (code.StartsWith("ice.", StringComparison.Ordinal))
            {
                ice ??= [];
                ice[code[4..]] = value;
                paths[code] = $"{path}.value";
            }
            else if (body.ContainsKey(code))
            {
                issues.Add(Bad($"{path}.code", $"Component {code} appears twice."));
            }
            else
            {
                body[code] = value;
                paths[code] = $"{path}.value";
            }
        }

        if (ice is not null)
        {
            body["ice"] = ice;
        }

        return Check(NeuroAssessmentRequest.Read, body, paths, at, ids, now, issues);
    }

    public static IPatientEvent? ReadTreatment(MedicationAdministration administration, string at, EventIdSource ids, DateTimeOffset now, List<FhirIssue> issues)
    {
        var body = new JsonObject();
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        if (administration.Status is not MedicationAdministration.MedicationAdministrationStatusCodes.Completed)
        {
            issues.Add(Bad($"{at}.status", "status must be completed: record a treatment once it was given."));
        }

        Subject(administration.Subject, at, body, paths);
        Effective(administration.Effective, $"{at}.effective", "administeredAt", body, paths);
        Coded(administration.Category, "kind", $"{at}.category", body, paths);
        Coded(administration.Medication as CodeableConcept, "drug", $"{at}.medication", body, paths);
        if (administration.Dosage is { } dosage)
        {
            Coded(dosage.Route, "route", $"{at}.dosage.route", body, paths);
            if (dosage.Dose is { Value: { } dose } quantity)
            {
                body["dose"] = dose;
                paths["dose"] = $"{at}.dosage.dose.value";
                if (quantity.System != ObservationReader.Ucum)
                {
                    issues.Add(Bad($"{at}.dosage.dose.system", $"The dose unit is UCUM (system {ObservationReader.Ucum})."));
                }

                body["doseUnit"] = quantity.Code;
                paths["doseUnit"] = $"{at}.dosage.dose.code";
            }
        }

        return Check(TreatmentRequest.Read, body, paths, at, ids, now, issues);
    }

    private static IPatientEvent? Check(RequestReader read, JsonObject body, Dictionary<string, string> paths, string at, EventIdSource ids, DateTimeOffset now, List<FhirIssue> issues)
    {
        if (issues.Count > 0)
        {
            return null;
        }

        using var document = JsonDocument.Parse(body.ToJsonString());
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var events = read(document.RootElement, ids, now, errors);
        foreach (var (field, messages) in errors)
        {
            var path = paths.GetValueOrDefault(field) ?? at;
            issues.AddRange(messages.Select(m => Bad(path, m)));
        }

        return issues.Count == 0 && events is [var single] ? single : null;
    }

    private static void Subject(ResourceReference? subject, string at, JsonObject body, Dictionary<string, string> paths)
    {
        // The reference is not echoed back: a sender may have put a name in it. JSON's check names the id rule.
        body["patientId"] = subject?.Reference is { } reference && reference.StartsWith("Patient/", StringComparison.Ordinal) ? reference["Patient/".Length..] : string.Empty;
        paths["patientId"] = $"{at}.subject";
    }

    private static void Effective(DataType? effective, string path, string field, JsonObject body, Dictionary<string, string> paths)
    {
        paths[field] = path;
        var text = effective switch
        {
            FhirDateTime { Value: { } t } => t,
            Instant { Value: { } instant } => instant.ToString("O", CultureInfo.InvariantCulture),
            Period { Start: { } start } => start,
            _ => null,
        };
        if (text is not null)
        {
            // A date alone (or a time without its offset) fails the JSON reader's timestamp rule: a grade needs a time.
            body[field] = text;
        }
    }

    private static void Coded(IEnumerable<CodeableConcept>? concepts, string field, string path, JsonObject body, Dictionary<string, string> paths) =>
        Coded(concepts?.FirstOrDefault(c => c.Coding.Any(k => k.System == ProjectCodeSystems.Treatment)), field, path, body, paths);

    private static void Coded(CodeableConcept? concept, string field, string path, JsonObject body, Dictionary<string, string> paths)
    {
        paths[field] = path;
        var code = concept?.Coding.FirstOrDefault(c => c.System == ProjectCodeSystems.Treatment)?.Code;
        if (code is not null)
        {
            body[field] = code.StartsWith(field + ".", StringComparison.Ordinal) ? code[(field.Length + 1)..] : code;
        }
    }

    private static FhirIssue Bad(string expression, string message) => new(StatusCodes.Status400BadRequest, expression, message);
}
