using System.Text;
using System.Text.Json;

namespace Toxicity.Hosting;

/// <summary>What is wrong with a JSON body before any field is read: where (a field path, or <c>$</c>) and why.</summary>
public sealed record JsonFault(string Path, string Message);

/// <summary>
/// The checks every JSON body (plain JSON and FHIR) passes before it is read (issue 21): valid UTF-8 throughout, JSON
/// that parses within the depth limit, no string that is not valid Unicode (a lone surrogate escape such as
/// <c>\ud800</c>), and no key twice in one object (which value was meant would be ambiguous, and another parser may
/// read the other one). Each fault names where it is: <c>patientId</c>, <c>vasopressors[1].drug</c>, or <c>$</c>.
/// </summary>
public static class StrictJson
{
    /// <summary>The deepest nesting a body may have (System.Text.Json's default).</summary>
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The first fault of <paramref name="body"/>, or null when it passes every check.</summary>
    public static JsonFault? Check(ReadOnlySpan<byte> body)
    {
        // Vectorised; only a body that fails is decoded again to say where.
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            try
            {
                _ = Utf8.GetCharCount(body);
            }
            catch (DecoderFallbackException error)
            {
                return new JsonFault("$", $"The body is not valid UTF-8 (byte {error.Index + 1}).");
            }
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        var scopes = new Stack<Scope>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var path = scopes.Count == 0 ? "$" : scopes.Peek().ValuePath();
                        Advance(scopes);
                        scopes.Push(new Scope(path, reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        scopes.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var scope = scopes.Peek();
                        if (Text(ref reader) is not { } name)
                        {
                            return new JsonFault(scope.Path, "A key is not valid Unicode (a lone surrogate escape).");
                        }

                        scope.Property = name;
                        if (!scope.Keys.Add(name))
                        {
                            return new JsonFault(scope.ValuePath(), $"The key '{name}' is given twice; send each field once.");
                        }

                        break;
                    case JsonTokenType.String:
                        // The bytes are valid UTF-8: only an escape (\uXXXX) can make a string that is not valid Unicode.
                        if (reader.ValueIsEscaped && Text(ref reader) is null)
                        {
                            return new JsonFault(scopes.Count == 0 ? "$" : scopes.Peek().ValuePath(), "The text is not valid Unicode (a lone surrogate escape).");
                        }

                        Advance(scopes);
                        break;
                    default:
                        Advance(scopes);
                        break;
                }
            }
        }
        catch (JsonException error)
        {
            return new JsonFault("$", $"The body is not valid JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1}).");
        }

        return null;
    }

    private static string? Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A value was read in the innermost array: the next one has the next index.</summary>
    private static void Advance(Stack<Scope> scopes)
    {
        if (scopes.Count > 0 && scopes.Peek().IsArray)
        {
            scopes.Peek().Index++;
        }
    }

    private sealed class Scope(string path, bool isArray)
    {
        public string Path { get; } = path;

        public bool IsArray { get; } = isArray;

        public int Index { get; set; }

        public string? Property { get; set; }

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        /// <summary>The path of the value being read in this scope.</summary>
        public string ValuePath()
        {
            var prefix = Path == "$" ? string.Empty : Path;
            return IsArray ? $"{(prefix.Length == 0 ? "$" : prefix)}[{Index}]" : prefix.Length == 0 ? Property ?? "$" : $"{prefix}.{Property}";
        }
    }
}
