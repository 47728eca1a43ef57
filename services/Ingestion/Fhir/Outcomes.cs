using Hl7.Fhir.Model;

namespace Toxicity.Ingestion.Service.Fhir;

/// <summary>OperationOutcomes and the HTTP answers that carry them (always <c>application/fhir+json</c>).</summary>
internal static class Outcomes
{
    public static OperationOutcome Errors(IEnumerable<FhirIssue> issues) => new()
    {
        Issue = [.. issues.Select(i => new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = i.Status == StatusCodes.Status422UnprocessableEntity ? OperationOutcome.IssueType.Processing : OperationOutcome.IssueType.Invalid,
            Diagnostics = i.Message,
            Expression = [i.Expression],
        })],
    };

    public static OperationOutcome Information(string message) => new()
    {
        Issue = [new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Information,
            Code = OperationOutcome.IssueType.Informational,
            Diagnostics = message,
        }],
    };

    /// <summary>400 when any issue is a bad request, else 422 (well-formed but refused: patient not admitted, id reused).</summary>
    public static int StatusOf(IReadOnlyCollection<FhirIssue> issues) =>
        issues.Any(i => i.Status == StatusCodes.Status400BadRequest) ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity;

    public static IResult Answer(int status, Resource resource) => TypedResults.Content(FhirJson.Serialize(resource), FhirJson.ContentType, statusCode: status);

    public static IResult Failed(IReadOnlyCollection<FhirIssue> issues) => Answer(StatusOf(issues), Errors(issues));

    public static IResult Failed(int status, string expression, string message) => Answer(status, Errors([new FhirIssue(status, expression, message)]));
}
