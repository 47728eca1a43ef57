using Toxicity.Hosting;
using Toxicity.Ingestion.Service.Fhir;

namespace Toxicity.Ingestion.Service;

/// <summary>FHIR R4, the standards path beside the JSON API (docs/fhir.md).</summary>
internal static class FhirEndpoints
{
    public static RouteGroupBuilder MapFhirEndpoints(this RouteGroupBuilder fhir)
    {
        // What the server supports, and the project's code systems: no patient data, open as FHIR servers keep them.
        fhir.MapGet("/metadata", () => Outcomes.Answer(StatusCodes.Status200OK, Capabilities.Statement))
            .WithSummary("The CapabilityStatement: exactly what this FHIR endpoint takes");
        fhir.MapGet("/CodeSystem/{id}", (string id) => Capabilities.CodeSystems.TryGetValue(id, out var codeSystem)
                ? Outcomes.Answer(StatusCodes.Status200OK, codeSystem)
                : Outcomes.Failed(StatusCodes.Status404NotFound, "CodeSystem", $"No CodeSystem {id} here; there are: {string.Join(", ", Capabilities.CodeSystems.Keys)}."))
            .WithSummary("One of the project's code systems (neuro-assessment, treatment)");

        var ward = fhir.MapGroup(string.Empty).RequireAuthorization(Roles.WardSystem);
        ward.MapPost("/Observation", (HttpContext http, FhirSubmissions submissions) => submissions.ResourceAsync(http, "Observation"))
            .WithSummary("Record one Observation: a vital sign, or a neuro assessment (FHIR R4, application/fhir+json)");
        ward.MapPost("/MedicationAdministration", (HttpContext http, FhirSubmissions submissions) => submissions.ResourceAsync(http, "MedicationAdministration"))
            .WithSummary("Record one treatment given (FHIR R4 MedicationAdministration)");
        ward.MapPost(string.Empty, (HttpContext http, FhirSubmissions submissions) => submissions.BundleAsync(http))
            .WithSummary("Record a batch or transaction Bundle of Observations (vital signs panels included) and MedicationAdministrations");
        return fhir;
    }
}
