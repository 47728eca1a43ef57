using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Toxicity.Hosting;

/// <summary>Reads a request body that must be one JSON document, answering 415 or 400 problem details otherwise.</summary>
public static class JsonBody
{
    /// <summary>
    /// The parsed body (dispose it), or the problem to answer: 415 when the content type is not JSON, 400 naming where
    /// it is when it fails <see cref="StrictJson"/> (not UTF-8, not JSON, a lone surrogate, a key twice).
    /// <paramref name="what"/> names the body in the message.
    /// </summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ParseAsync(HttpRequest request, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, detail: $"Send the {what} as application/json."));
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (StrictJson.Check(body.Span) is { } fault)
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { [fault.Path] = [fault.Message] }));
        }

        return (JsonDocument.Parse(body), null);
    }
}
