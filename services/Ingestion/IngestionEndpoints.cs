using Toxicity.Hosting;
using Toxicity.Ingestion.Service.Requests;

namespace Toxicity.Ingestion.Service;

internal static class IngestionEndpoints
{
    public static RouteGroupBuilder MapIngestionEndpoints(this RouteGroupBuilder api)
    {
        var ward = api.MapGroup(string.Empty).RequireAuthorization(Roles.WardSystem);

        ward.MapPut("/patients/{patientId}", async (string patientId, HttpContext http, Submissions submissions, IngestionStore store) =>
        {
            var admitted = Common.IsPatientId(patientId) && store.IsAdmitted(patientId);
            return await submissions.SubmitAsync(http, PatientRequest.Reader(patientId, admitted), requireAdmitted: false,
                afterPublish: events => store.AdmitAsync(patientId, events[0].ObservedAt, http.RequestAborted));
        }).WithSummary("Admit a patient, or update an admitted patient's details (death included)");

        // Observations of a patient not admitted are refused (422): see README "Patients not admitted".
        ward.MapPost("/vital-signs", (HttpContext http, Submissions submissions) =>
            submissions.SubmitAsync(http, VitalSignsRequest.Read, requireAdmitted: true))
            .WithSummary("Record vital signs");
        ward.MapPost("/neuro-assessments", (HttpContext http, Submissions submissions) =>
            submissions.SubmitAsync(http, NeuroAssessmentRequest.Read, requireAdmitted: true))
            .WithSummary("Record a neurological assessment (ICE or CAPD and the other ICANS domains)");
        ward.MapPost("/treatments", (HttpContext http, Submissions submissions) =>
            submissions.SubmitAsync(http, TreatmentRequest.Read, requireAdmitted: true))
            .WithSummary("Record a treatment given, or an infusion interrupted or restarted");
        return api;
    }
}
