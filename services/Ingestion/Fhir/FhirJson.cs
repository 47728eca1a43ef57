using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Toxicity.Hosting;

namespace Toxicity.Ingestion.Service.Fhir;

/// <summary>
/// Reads and writes FHIR R4 JSON with Firely's System.Text.Json-based deserializer in its strict default mode
/// (ECOSYSTEM.md "Interoperability (Ingestion)"): unknown elements, bad codes and bad literals are errors, each with
/// the element path Firely gives it (e.g. <c>Bundle.entry[0].resource.status</c>).
/// </summary>
internal static class FhirJson
{
    public const string ContentType = "application/fhir+json";

    private static readonly FhirJsonDeserializer Deserializer = new();
    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    /// <summary>
    /// The resource Firely read (partial when there are issues, so that a batch can still take its good entries),
    /// or null when the body is not JSON.
    /// </summary>
    public static Resource? Parse(byte[] body, List<FhirIssue> issues)
    {
        // Not UTF-8, not JSON, a lone surrogate or an element given twice: refused naming where, before Firely reads it.
        if (StrictJson.Check(body) is { } fault)
        {
            issues.Add(new FhirIssue(StatusCodes.Status400BadRequest, Expression(body, fault.Path), fault.Message));
            return null;
        }

        try
        {
            if (Deserializer.TryDeserializeResource(new Utf8JsonReader(body), out var resource, out var errors))
            {
                return resource;
            }

            // Firely names a missing element of the root "$this.<name>": say which resource that is.
            var root = resource?.TypeName ?? "Resource";
            issues.AddRange(errors.Select(e => new FhirIssue(StatusCodes.Status400BadRequest,
                (e as ExtendedCodedException)?.InstancePath?.Replace("$this", root, StringComparison.Ordinal) ?? root, e.Message)));
            return resource;
        }
        catch (JsonException error)
        {
            issues.Add(new FhirIssue(StatusCodes.Status400BadRequest, "Resource",
                $"The body is not valid JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1})."));
            return null;
        }
    }

    /// <summary>A <see cref="StrictJson"/> path as FHIRPath: under the resource's type when the body names one.</summary>
    private static string Expression(byte[] body, string path)
    {
        var root = "Resource";
        if (path != "$")
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("resourceType", out var type)
                    && type.ValueKind == JsonValueKind.String && type.GetString() is { Length: > 0 } name)
                {
                    root = name;
                }
            }
            catch (Exception error) when (error is JsonException or InvalidOperationException)
            {
                // The resource's type is not readable: "Resource" it is.
            }
        }

        return path == "$" ? root : $"{root}.{path}";
    }

    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, Options);

    /// <summary>The first parse builds Firely's model (about 0.7 s): done once at start-up, not on a ward's request.</summary>
    public static void WarmUp()
    {
        var issues = new List<FhirIssue>();
        var observation = Parse("""
            {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
             "valueQuantity":{"value":80,"system":"http://unitsofmeasure.org","code":"/min"}}
            """u8.ToArray(), issues);
        if (observation is null || issues.Count > 0)
        {
            throw new InvalidOperationException("The FHIR model did not warm up: " + string.Join("; ", issues.Select(i => i.Message)));
        }

        _ = Serialize(observation);
    }
}

/// <summary>One problem with a FHIR request: its HTTP status (400 or 422), the element it names, and why.</summary>
internal sealed record FhirIssue(int Status, string Expression, string Message);
