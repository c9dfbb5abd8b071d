using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LettaPlatform.ToolExecution.Api.Catalog;

/// <summary>
/// Validates tool arguments against the catalog's own schemas. It understands the JSON Schema keywords
/// those schemas use — <c>type</c> (one or a list), <c>properties</c>, <c>required</c>,
/// <c>additionalProperties: false</c>, <c>minProperties</c>, <c>enum</c>, <c>minLength</c>/<c>maxLength</c>,
/// <c>minimum</c>/<c>maximum</c>, <c>pattern</c>, <c>format</c> (<c>date</c>, <c>uuid</c>), and for arrays
/// <c>items</c>, <c>minItems</c>/<c>maxItems</c> — and ignores annotations. Each message names the argument
/// (<c>comments[1].line</c> inside a list) and says what would be valid, so a model can fix its call.
/// </summary>
public static class ArgumentValidator
{
    /// <summary>Parses <paramref name="argumentsJson"/> and validates it; on success <paramref name="arguments"/> is the parsed object.</summary>
    public static IReadOnlyList<string> Validate(string argumentsJson, JsonObject schema, out JsonObject? arguments)
    {
        arguments = null;
        JsonNode? parsed;
        try
        {
            parsed = string.IsNullOrWhiteSpace(argumentsJson) ? new JsonObject() : JsonNode.Parse(argumentsJson);
        }
        catch (JsonException ex)
        {
            return [$"The arguments are not valid JSON ({ex.Message}). Send a JSON object."];
        }

        if (parsed is not JsonObject obj)
        {
            return ["The arguments must be a JSON object."];
        }

        var errors = new List<string>();
        ValidateNode(obj, schema, name: null, errors);
        if (errors.Count == 0)
        {
            arguments = obj;
        }

        return errors;
    }

    private static void ValidateNode(JsonNode? value, JsonObject schema, string? name, List<string> errors)
    {
        var label = name is null ? "The arguments" : $"`{name}`";

        if (schema["type"] is { } type && !MatchesType(value, type))
        {
            errors.Add($"{label} must be {Describe(type)}.");
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, name, errors);
                break;
            case JsonArray array:
                ValidateArray(array, schema, name ?? "", label, errors);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                ValidateString(scalar.GetValue<string>(), schema, label, errors);
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.Number:
                ValidateNumber(scalar.GetValue<decimal>(), schema, label, errors);
                break;
        }

        if (schema["enum"] is JsonArray allowed && value is not null
            && !allowed.Any(option => JsonNode.DeepEquals(option, value)))
        {
            errors.Add($"{label} must be one of: {string.Join(", ", allowed.Select(o => o?.ToJsonString()))}.");
        }
    }

    /// <summary>An object's properties; <paramref name="path"/> is where the object is (null: the arguments themselves).</summary>
    private static void ValidateObject(JsonObject obj, JsonObject schema, string? path, List<string> errors)
    {
        var properties = schema["properties"] as JsonObject ?? [];

        foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()))
        {
            if (!obj.ContainsKey(required))
            {
                errors.Add($"`{Child(path, required)}` is required.");
            }
        }

        if (schema["additionalProperties"] is JsonValue additional && additional.GetValueKind() == JsonValueKind.False)
        {
            foreach (var (key, _) in obj.Where(p => !properties.ContainsKey(p.Key)))
            {
                errors.Add(path is null
                    ? $"`{key}` is not an argument of this tool; the arguments are: {string.Join(", ", properties.Select(p => p.Key))}."
                    : $"`{Child(path, key)}` is not allowed; the fields of `{path}` are: {string.Join(", ", properties.Select(p => p.Key))}.");
            }
        }

        if (schema["minProperties"] is JsonValue min && obj.Count < min.GetValue<int>())
        {
            errors.Add($"Give at least {min.GetValue<int>()} arguments: besides the required ones, at least one field to change.");
        }

        foreach (var (key, propertySchema) in properties)
        {
            if (obj.TryGetPropertyValue(key, out var propertyValue) && propertySchema is JsonObject nested)
            {
                ValidateNode(propertyValue, nested, Child(path, key), errors);
            }
        }
    }

    private static string Child(string? path, string key) => path is null ? key : $"{path}.{key}";

    private static void ValidateArray(JsonArray array, JsonObject schema, string path, string label, List<string> errors)
    {
        if (schema["minItems"] is JsonValue minItems && array.Count < minItems.GetValue<int>())
        {
            errors.Add($"{label} must have at least {minItems.GetValue<int>()} item{(minItems.GetValue<int>() == 1 ? "" : "s")}.");
        }

        if (schema["maxItems"] is JsonValue maxItems && array.Count > maxItems.GetValue<int>())
        {
            errors.Add($"{label} must have at most {maxItems.GetValue<int>()} items (it has {array.Count}).");
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                ValidateNode(array[i], items, $"{path}[{i}]", errors);
            }
        }
    }

    private static void ValidateString(string value, JsonObject schema, string label, List<string> errors)
    {
        var length = new StringInfo(value).LengthInTextElements;
        if (schema["minLength"] is JsonValue minLength && length < minLength.GetValue<int>())
        {
            errors.Add(minLength.GetValue<int>() == 1
                ? $"{label} must not be empty."
                : $"{label} must be at least {minLength.GetValue<int>()} characters long.");
        }

        if (schema["maxLength"] is JsonValue maxLength && length > maxLength.GetValue<int>())
        {
            errors.Add($"{label} must be at most {maxLength.GetValue<int>()} characters long (it has {length}).");
        }

        if (schema["pattern"] is JsonValue pattern
            && !Regex.IsMatch(value, pattern.GetValue<string>(), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)))
        {
            errors.Add(schema["examples"] is JsonArray { Count: > 0 } examples
                ? $"{label} must look like {examples[0]!.GetValue<string>()}."
                : $"{label} must match the pattern {pattern.GetValue<string>()}.");
        }

        switch (schema["format"]?.GetValue<string>())
        {
            case "date" when !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                errors.Add($"{label} must be a date as YYYY-MM-DD, such as 2026-12-31.");
                break;
            case "uuid" when !Guid.TryParseExact(value, "D", out _):
                errors.Add($"{label} must be an id like 0193a5c2-7b1e-7c3d-9f00-2a4b6c8d0e1f.");
                break;
        }
    }

    private static void ValidateNumber(decimal value, JsonObject schema, string label, List<string> errors)
    {
        var minimum = schema["minimum"]?.GetValue<decimal>();
        var maximum = schema["maximum"]?.GetValue<decimal>();
        if ((minimum is not null && value < minimum) || (maximum is not null && value > maximum))
        {
            errors.Add((minimum, maximum) switch
            {
                ({ } low, { } high) => $"{label} must be between {low} and {high}.",
                ({ } low, null) => $"{label} must be at least {low}.",
                _ => $"{label} must be at most {maximum}.",
            });
        }
    }

    private static bool MatchesType(JsonNode? value, JsonNode type) => type switch
    {
        JsonArray types => types.Any(t => MatchesType(value, t!)),
        _ => type.GetValue<string>() switch
        {
            "null" => value is null,
            "object" => value is JsonObject,
            "array" => value is JsonArray,
            "string" => value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
            "boolean" => value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
            "number" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
            "integer" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && decimal.IsInteger(v.GetValue<decimal>()),
            _ => false,
        },
    };

    private static string Describe(JsonNode type) => type switch
    {
        JsonArray types => string.Join(" or ", types.Select(t => Describe(t!))),
        _ => type.GetValue<string>() switch
        {
            "object" => "a JSON object",
            "array" => "a JSON array",
            "string" => "a string",
            "boolean" => "true or false",
            "number" => "a number",
            "integer" => "a whole number",
            "null" => "null",
            var other => other,
        },
    };
}
