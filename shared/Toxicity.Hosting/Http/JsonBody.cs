using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Toxicity.Hosting;

/// <summary>Reads a request body that must be one JSON document, answering 415 or 400 problem details otherwise.</summary>
public static class JsonBody
{
    /// <summary>
    /// The parsed body (dispose it), or the problem to answer: 415 when the content type is not JSON, 400 naming
    /// <c>$</c> with the line and byte when it does not parse. <paramref name="what"/> names the body in the message.
    /// </summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ParseAsync(HttpRequest request, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, detail: $"Send the {what} as application/json."));
        }

        try
        {
            return (await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken), null);
        }
        catch (JsonException error)
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["$"] = [$"The body is not valid JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1})."],
            }));
        }
    }
}
