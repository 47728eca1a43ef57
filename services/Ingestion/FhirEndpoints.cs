using Toxicity.Hosting;
using Toxicity.Ingestion.Service.Fhir;

namespace Toxicity.Ingestion.Service;

/// <summary>FHIR R4, the standards path beside the JSON API (ECOSYSTEM.md "Interoperability (Ingestion)").</summary>
internal static class FhirEndpoints
{
    public static RouteGroupBuilder MapFhirEndpoints(this RouteGroupBuilder fhir)
    {
        var ward = fhir.MapGroup(string.Empty).RequireAuthorization(Roles.WardSystem);

        ward.MapPost("/Observation", (HttpContext http, FhirSubmissions submissions) => submissions.ObservationAsync(http))
            .WithSummary("Record one vital-sign Observation (FHIR R4, application/fhir+json)");
        ward.MapPost(string.Empty, (HttpContext http, FhirSubmissions submissions) => submissions.BundleAsync(http))
            .WithSummary("Record a batch or transaction Bundle of vital-sign Observations (FHIR R4, application/fhir+json)");
        return fhir;
    }
}
