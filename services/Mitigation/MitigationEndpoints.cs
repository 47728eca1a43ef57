using System.Text.Json;
using MassTransit;
using Toxicity.Contracts.V1;
using Toxicity.Hosting;
using Toxicity.Mitigation.Regimens;

namespace Toxicity.Mitigation.Service;

internal static class MitigationEndpoints
{
    /// <summary>How many cycles a plan shows when the regimen has no maximum and the caller asks for none (display only).</summary>
    private const int OpenEndedCyclesShown = 6;

    /// <summary>How many re-anchored doses the plan's course shows.</summary>
    private const int UpcomingShown = 12;

    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    public static RouteGroupBuilder MapMitigationEndpoints(this RouteGroupBuilder api)
    {
        var clinical = api.MapGroup(string.Empty).RequireAuthorization(policy => policy.RequireRole(Roles.Clinician, Roles.Auditor));
        clinical.MapGet("/regimens", () => TypedResults.Ok(RegimenCatalogue.All));
        clinical.MapGet("/regimens/{regimenId}", (string regimenId) => RegimenCatalogue.Find(regimenId) is { } regimen
            ? Results.Ok(regimen)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown regimen", detail: "No regimen of the catalogue has this id."));
        clinical.MapGet("/patients/{patientId}/treatment-plan", GetPlan);
        clinical.MapGet("/patients/{patientId}/advice", GetAdvice);
        api.MapPut("/patients/{patientId}/treatment-plan", PutPlanAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Clinician))
            .Accepts<JsonElement>("application/json")
            .ProducesValidationProblem();
        return api;
    }

    private static IResult GetPlan(string patientId, int? cycles, MitigationBook book, TimeProvider clock)
    {
        if (cycles is < 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cycles"] = ["cycles must be 1 or more."] });
        }

        var now = clock.GetUtcNow();
        return book.Read(patientId, p => p.Plan is { } plan && p.Regimen is { } regimen
            ? PlanResponse.Of(TreatmentPlanner.Plan(regimen, plan.Cycle1Day1, p.Measures, cycles ?? regimen.MaxCycles ?? OpenEndedCyclesShown, book.Site),
                CourseView.Of(p, now, UpcomingShown))
            : null) is { } result
            ? TypedResults.Ok(result)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No treatment plan", detail: "No treatment plan is recorded for this patient.");
    }

    private static IResult GetAdvice(string patientId, MitigationBook book, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return book.Read(patientId, p => new AdviceResponse(patientId, p.Plan?.RegimenId, book.Site.Codes(), NextDose(p, book.Site, now),
            CourseView.Of(p, now, 1), [.. p.Advised])) is { } advice
            ? TypedResults.Ok(advice)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown patient", detail: "No event of this patient is in the event log (yet).");
    }

    /// <summary>
    /// The next dose with its premedication, pretreatment and monitoring: the course's next (re-anchored) or, for a
    /// continuous infusion, the first item of the plan on or after today.
    /// </summary>
    private static PlannedDose? NextDose(PatientRecord patient, Jurisdiction site, DateTimeOffset now)
    {
        if (patient.Course is { } course && patient.Calendar is { } calendar)
        {
            return course.NextAt(calendar, now)?.Planned;
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return patient.Plan is { } plan && patient.Regimen is { } regimen
            ? TreatmentPlanner.Plan(regimen, plan.Cycle1Day1, patient.Measures, TreatmentPlanner.CyclesThrough(regimen, plan.Cycle1Day1, today), site)
                .Doses.FirstOrDefault(d => d.Date >= today)
            : null;
    }

    private static async Task<IResult> PutPlanAsync(string patientId, HttpRequest request, HttpResponse response, MitigationBook book, IBus bus, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ParseAsync(request, "plan", cancellationToken);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (TreatmentPlanRequest.Read(document.RootElement, errors) is not { } plan)
            {
                return TypedResults.ValidationProblem(errors);
            }

            if (!TreatmentPlanner.OnLabelAt(plan.Regimen, book.Site))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["regimenId"] = [$"{plan.Regimen.Id} is not a label regimen under this site's jurisdiction ({string.Join("/", book.Site.Codes())}): "
                        + $"its labels are {string.Join("/", plan.Regimen.Jurisdiction.Codes())} (CLINICAL-RULES.md §5.13)."],
                });
            }

            if (book.Read(patientId, p => p.Admitted ? p : null) is null) // the log has no admission of this patient
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Patient not admitted",
                    detail: "Admit the patient through Ingestion before recording a treatment plan.");
            }

            var now = clock.GetUtcNow();
            var planned = new TreatmentPlanned(Guid.CreateVersion7(), patientId, now, now, plan.Regimen.Id, plan.Cycle1Day1);
            try
            {
                await ConfirmedPublish.PublishAsync(bus, [planned], PublishTimeout, cancellationToken);
            }
            catch (BrokerUnavailableException)
            {
                return ConfirmedPublish.Unavailable(response, "plan");
            }

            // Answered once the service has read it back, so that a GET right after shows it.
            using var folded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            folded.CancelAfter(PublishTimeout);
            try
            {
                await book.PlanFoldedAsync(patientId, planned.EventId, folded.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ConfirmedPublish.Unavailable(response, "plan");
            }
            return TypedResults.Ok(new PlanRecorded(planned.EventId, plan.Regimen.Id, plan.Cycle1Day1));
        }
    }
}

/// <summary>The answer to a recorded plan: the event's id, the regimen and cycle 1 day 1.</summary>
internal sealed record PlanRecorded(Guid EventId, string RegimenId, DateOnly Cycle1Day1);

/// <summary>
/// A patient's current advice: the regimen of their plan, the site's jurisdiction, the next dose with its premedication,
/// pretreatment and monitoring, the course (its due date and status, and what the label says of it now), and the advice
/// given so far, oldest first.
/// </summary>
internal sealed record AdviceResponse(string PatientId, string? RegimenId, IReadOnlyList<string> Jurisdiction, PlannedDose? NextDose, CourseView? Course,
    IReadOnlyList<MitigationAdvised> Advised);
