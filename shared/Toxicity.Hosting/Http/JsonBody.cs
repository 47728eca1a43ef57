using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Toxicity.Hosting;

/// <summary>Reads a request body that must be one JSON document, answering 415, 413 or 400 problem details otherwise.</summary>
public static class JsonBody
{
    /// <summary>
    /// The largest body any Toxicity endpoint reads (256 KiB: a FHIR transaction of a ward's readings fits many times
    /// over); a larger one is refused with 413 as soon as it passes the bound, never buffered whole.
    /// </summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>
    /// The parsed body (dispose it), or the problem to answer: 415 when the content type is not JSON, 413 over
    /// <see cref="MaxBodyBytes"/>, 400 naming where it is when it fails <see cref="StrictJson"/> (not UTF-8, not JSON,
    /// a lone surrogate, a key twice).
    /// <paramref name="what"/> names the body in the message.
    /// </summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ParseAsync(HttpRequest request, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, detail: $"Send the {what} as application/json."));
        }

        if (await ReadBoundedAsync(request, cancellationToken) is not { } body)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: $"The {what} is larger than {MaxBodyBytes} bytes."));
        }

        if (StrictJson.Check(body) is { } fault)
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { [fault.Path] = [fault.Message] }));
        }

        return (JsonDocument.Parse(body), null);
    }

    /// <summary>
    /// <see cref="ParseAsync"/> for a body that must be a JSON object (every request body here is one): a well-formed
    /// body of another kind (an array, a number) is the 400 naming <c>$</c>.
    /// </summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ParseObjectAsync(HttpRequest request, string what, CancellationToken cancellationToken)
    {
        var (document, problem) = await ParseAsync(request, what, cancellationToken);
        if (document is { RootElement.ValueKind: not JsonValueKind.Object })
        {
            document.Dispose();
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = [$"The {what} must be a JSON object."] }));
        }

        return (document, problem);
    }

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/> (read no further than that).</summary>
    public static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is > 0 and <= MaxBodyBytes ? (int)request.ContentLength : 1024);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return null;
                }

                await buffer.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }
}
