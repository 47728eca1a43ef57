using System.Text.Json;

namespace Toxicity.Hosting;

/// <summary>
/// Reads the fields of one JSON object strictly, for an RFC 9457 validation problem: every bad field is recorded
/// under its JSON path (<c>prefix + name</c>) and read as null; unknown fields are errors (a typo must never be
/// silently ignored in clinical input); JSON null counts as absent; enum values are matched by their camelCase names.
/// </summary>
public readonly struct JsonFields(JsonElement target, IDictionary<string, string[]> errors, string prefix = "")
{
    public string Path(string name) => prefix + name;

    /// <summary>Records an error for every field not in <paramref name="known"/>.</summary>
    public void RejectUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var property in target.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                errors[prefix + property.Name] = [$"Unknown field '{prefix}{property.Name}'. The fields are: {string.Join(", ", known)}."];
            }
        }
    }

    public bool Has(string name) => target.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>Records "<paramref name="name"/> is required" when the field is absent.</summary>
    public bool Require(string name)
    {
        if (Has(name))
        {
            return true;
        }

        errors[prefix + name] = [$"{prefix}{name} is required."];
        return false;
    }

    public void Fail(string name, string message) => errors[prefix + name] = [message];

    public double? Number(string name, double min, double max, string unit = "")
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            return Failed<double>(name, $"{prefix}{name} must be a number.");
        }

        if (number < min || number > max)
        {
            var range = max == double.MaxValue ? $"at least {min}{unit}" : $"between {min} and {max}{unit}";
            return Failed<double>(name, $"{prefix}{name} must be {range}; got {number}.");
        }

        return number;
    }

    public int? Integer(string name, int min, int max, string unit = "")
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            return Failed<int>(name, $"{prefix}{name} must be a whole number between {min} and {max}{unit}.");
        }

        return number < min || number > max ? Failed<int>(name, $"{prefix}{name} must be between {min} and {max}{unit}; got {number}.") : number;
    }

    public bool? Bool(string name)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => Failed<bool>(name, $"{prefix}{name} must be true or false."),
        };
    }

    public string? String(string name, int maxLength)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text || text.Length > maxLength)
        {
            errors[prefix + name] = [$"{prefix}{name} must be a non-empty string of at most {maxLength} characters."];
            return null;
        }

        return text;
    }

    /// <summary>A string from a closed list of codes (kept as the code itself).</summary>
    public string? Code(string name, IReadOnlyCollection<string> codes)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text && codes.Contains(text))
        {
            return text;
        }

        errors[prefix + name] = [$"{prefix}{name} must be one of: {string.Join(" | ", codes)}."];
        return null;
    }

    public TEnum? Enum<TEnum>(string name)
        where TEnum : struct, Enum
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && EnumNames<TEnum>.ByName.TryGetValue(value.GetString()!, out var parsed))
        {
            return parsed;
        }

        return Failed<TEnum>(name, $"{prefix}{name} must be one of: {string.Join(" | ", EnumNames<TEnum>.ByName.Keys)}.");
    }

    /// <summary>A timestamp with an explicit offset (ISO 8601), in UTC.</summary>
    public DateTimeOffset? Timestamp(string name)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text
            && (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal))
            && value.TryGetDateTimeOffset(out var timestamp))
        {
            return timestamp.ToUniversalTime();
        }

        return Failed<DateTimeOffset>(name, $"{prefix}{name} must be an ISO 8601 date and time with an offset, e.g. 2026-11-25T08:30:00Z.");
    }

    /// <summary>A nested object's fields, or null (with an error when it is not an object).</summary>
    public JsonFields? Object(string name)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors[prefix + name] = [$"{prefix}{name} must be an object."];
            return null;
        }

        return new JsonFields(value, errors, $"{prefix}{name}.");
    }

    /// <summary>The objects of an array field, each with its indexed path (<c>name[i].</c>).</summary>
    public IReadOnlyList<JsonFields>? Objects(string name, int maxItems)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxItems)
        {
            errors[prefix + name] = [$"{prefix}{name} must be an array of at most {maxItems} objects."];
            return null;
        }

        var items = new List<JsonFields>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = $"{prefix}{name}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors[path] = [$"{path} must be an object."];
                continue;
            }

            items.Add(new JsonFields(item, errors, path + "."));
        }

        return items;
    }

    private bool Present(string name, out JsonElement value) =>
        target.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private T? Failed<T>(string name, string message)
        where T : struct
    {
        errors[prefix + name] = [message];
        return null;
    }

    private static class EnumNames<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly IReadOnlyDictionary<string, TEnum> ByName = System.Enum.GetValues<TEnum>()
            .ToDictionary(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), StringComparer.Ordinal);
    }
}
