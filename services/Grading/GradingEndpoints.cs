using System.Text.Json;

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
        return api;
    }

    private static async Task<IResult> EvaluateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, detail: "Send the assessment as application/json.");
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException error)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["$"] = [$"The body is not valid JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1})."],
            });
        }

        using (document)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var assessment = EvaluateRequest.Read(document.RootElement, errors);
            return assessment is null
                ? TypedResults.ValidationProblem(errors)
                : TypedResults.Ok(EvaluateResponse.From(GradingEngine.Evaluate(assessment)));
        }
    }
}
