using Hl7.Fhir.Model;
using Toxicity.Grading;
using Toxicity.Ingestion.Service.Requests;

namespace Toxicity.Ingestion.Service.Fhir;

/// <summary>
/// The project's own FHIR code systems, for what no standard code system says the way the grading needs it: the
/// ICANS domains of a neuro assessment, and the kinds, drugs and routes of a treatment (docs/fhir.md). Their codes
/// are the JSON API's field names and values, so both paths read one way. Served at <c>GET /fhir/r4/CodeSystem/{id}</c>
/// and kept in docs/fhir/ (a test checks that the two agree).
/// </summary>
internal static class ProjectCodeSystems
{
    public const string Base = "https://toxicity.dev/fhir/CodeSystem/";
    public const string NeuroAssessment = Base + "neuro-assessment";
    public const string Treatment = Base + "treatment";

    /// <summary>The Observation.code of a neuro assessment, whose components are the domains.</summary>
    public const string NeuroAssessmentCode = "neuroAssessment";

    /// <summary>The domains with a coded value, and their values (the grading enums, camelCase as the JSON API writes them).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> CodedDomains = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["consciousness"] = Names<Consciousness>(),
        ["seizure"] = Names<Seizure>(),
        ["motor"] = Names<MotorFinding>(),
        ["cerebralEdema"] = Names<CerebralEdema>(),
    };

    public static CodeSystem NeuroAssessmentCodeSystem() => CodeSystem("neuro-assessment", NeuroAssessment, "Toxicity neuro assessment",
        "The ICANS domains of a neuro assessment (ASTCT 2019; CLINICAL-RULES.md §2): the Observation code neuroAssessment, " +
        "its components (ICE total or items, CAPD, consciousness, seizure, motor, cerebral oedema, sedation) and the coded values of the domains as <domain>.<value>.",
        [
            Concept(NeuroAssessmentCode, "Neuro assessment (ICANS domains)"),
            Concept("iceScore", "ICE score, total 0-10 (valueInteger)"),
            .. NeuroAssessmentRequest.IceFields.Select(i => Concept($"ice.{i}", $"ICE item {i} ({(i == "namedObjects" ? "valueInteger 0-3" : "valueBoolean")})")),
            Concept("capdScore", "CAPD score 0-32, under 12 years (valueInteger)"),
            Concept("sedated", "Assessed under sedation (valueBoolean)"),
            .. CodedDomains.SelectMany(d => d.Value.Select(v => Concept($"{d.Key}.{v}", $"{d.Key}: {v}")).Prepend(Concept(d.Key, $"{d.Key} (valueCodeableConcept, codes {d.Key}.*)"))),
        ]);

    public static CodeSystem TreatmentCodeSystem() => CodeSystem("treatment", Treatment, "Toxicity treatment",
        "What a MedicationAdministration records: its kind (category, kind.*), its drug (medicationCodeableConcept, drug.*) and route (dosage.route, route.*).",
        [
            .. TreatmentRequest.DrugsByKind.Keys.Select(k => Concept($"kind.{k}", $"Treatment kind {k}")),
            .. TreatmentRequest.DrugsByKind.Values.SelectMany(d => d).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(d => Concept($"drug.{d}", d)),
            .. TreatmentRequest.Routes.Select(r => Concept($"route.{r}", $"Route {r}")),
        ]);

    private static CodeSystem CodeSystem(string id, string url, string title, string description, List<CodeSystem.ConceptDefinitionComponent> concepts) => new()
    {
        Id = id,
        Url = url,
        Version = "1",
        Name = string.Concat(title.Split(' ').Select(w => char.ToUpperInvariant(w[0]) + w[1..])),
        Title = title,
        Status = PublicationStatus.Active,
        Experimental = false,
        Publisher = "Toxicity",
        Description = new Markdown(description),
        CaseSensitive = true,
        Content = CodeSystemContentMode.Complete,
        Count = concepts.Count,
        Concept = concepts,
    };

    private static CodeSystem.ConceptDefinitionComponent Concept(string code, string display) => new() { Code = code, Display = display };

    private static string[] Names<TEnum>()
        where TEnum : struct, Enum => [.. Enum.GetNames<TEnum>().Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName)];
}
