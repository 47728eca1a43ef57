using System.Text.Json;
using Toxicity.Hosting;

namespace Toxicity.Grading.Service;

internal static class GradingEndpoints
{
    public static RouteGroupBuilder MapGradingEndpoints(this RouteGroupBuilder api)
    {
        // A stateless calculator for one assessment snapshot: nothing is stored or published.
        api.MapPost("/grading/evaluate", EvaluateAsync)
            .Accepts<JsonElement>("application/json")
            .Produces<EvaluateResponse>()
            .ProducesValidationProblem();

        // The patient's grades over time: for clinicians and auditors.
        api.MapGet("/patients/{patientId}/grades", Grades)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Clinician, Roles.Auditor))
            .Produces<GradesResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static IResult Grades(string patientId, GradeBook book, GradingOptions options) =>
        book.Read(patientId, (grades, published) => GradesResponse.From(patientId, grades, options.Windows, published)) is { } response
            ? TypedResults.Ok(response)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown patient",
                detail: "No event of this patient is in the event log (yet).");

    private static async Task<IResult> EvaluateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ParseAsync(request, "assessment", cancellationToken);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            return EvaluateRequest.Read(document.RootElement, errors) is { } evaluate
                ? TypedResults.Ok(EvaluateResponse.From(GradingRuleSets.Evaluate(evaluate.RuleSet, evaluate.Assessment)))
                : TypedResults.ValidationProblem(errors);
        }
    }
}
