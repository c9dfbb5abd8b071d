using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LettaPlatform.Letta.Tests.Contract;

/// <summary>
/// A focused validator for the JSON Schema dialect of an OpenAPI 3.1 document: <c>$ref</c> into the
/// document, <c>type</c> (also arrays of types and <c>null</c>, plus 3.0's <c>nullable</c>), <c>properties</c>,
/// <c>required</c>, <c>additionalProperties</c>, <c>items</c>, <c>prefixItems</c>, <c>min/maxItems</c>, <c>enum</c>,
/// <c>const</c>, <c>anyOf</c>, <c>oneOf</c> (with <c>discriminator</c> mapping), <c>allOf</c>, <c>minimum</c>,
/// <c>maximum</c>, <c>min/maxLength</c>, <c>pattern</c> and <c>format: date-time</c>.
/// </summary>
/// <remarks>
/// With <see cref="RejectUndeclaredProperties"/> an object schema that lists <c>properties</c> and says nothing
/// about <c>additionalProperties</c> also rejects names it does not list: a field the platform sends or reads
/// that the spec lacks is a contract failure, even where Letta's schema would let it pass silently.
/// </remarks>
public sealed class JsonSchemaValidator(JsonElement document)
{
    private readonly Dictionary<string, Regex> _patterns = [];

    public bool RejectUndeclaredProperties { get; init; } = true;

    public JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local references are supported: {reference}");
        }
        var node = document;
        foreach (var raw in reference[2..].Split('/'))
        {
            var segment = Uri.UnescapeDataString(raw).Replace("~1", "/").Replace("~0", "~");
            if (!node.TryGetProperty(segment, out node))
            {
                throw new KeyNotFoundException($"Unresolvable reference {reference}");
            }
        }
        return node;
    }

    public JsonElement Schema(string componentName) => Resolve($"#/components/schemas/{componentName}");

    public IReadOnlyList<string> Validate(JsonElement instance, JsonElement schema, string path = "$")
    {
        var errors = new List<string>();
        Validate(instance, schema, path, errors);
        return errors;
    }

    private void Validate(JsonElement instance, JsonElement schema, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }
        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: no value is allowed here");
            return;
        }
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            Validate(instance, Resolve(reference.GetString()!), path, errors);
        }

        if (instance.ValueKind == JsonValueKind.Null && schema.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.TryGetProperty("type", out var type) && !MatchesType(instance, type))
        {
            errors.Add($"{path}: expected {type.GetRawText()}, got {Describe(instance)}");
            return;
        }

        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(instance, constant))
        {
            errors.Add($"{path}: expected the constant {constant.GetRawText()}, got {Describe(instance)}");
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(instance, v)))
        {
            errors.Add($"{path}: {Describe(instance)} is not one of {values.GetRawText()}");
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var part in allOf.EnumerateArray())
            {
                Validate(instance, part, path, errors);
            }
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            var branchErrors = new List<string>();
            var matched = false;
            foreach (var branch in anyOf.EnumerateArray())
            {
                var attempt = Validate(instance, branch, path);
                if (attempt.Count == 0)
                {
                    matched = true;
                    break;
                }
                branchErrors.AddRange(attempt);
            }
            if (!matched)
            {
                errors.Add($"{path}: matches none of anyOf [{string.Join(" | ", branchErrors.Distinct().Take(6))}]");
            }
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            ValidateOneOf(instance, schema, oneOf, path, errors);
        }

        switch (instance.ValueKind)
        {
            case JsonValueKind.Object:
                ValidateObject(instance, schema, path, errors);
                break;
            case JsonValueKind.Array:
                ValidateArray(instance, schema, path, errors);
                break;
            case JsonValueKind.String:
                ValidateString(instance.GetString()!, schema, path, errors);
                break;
            case JsonValueKind.Number:
                ValidateNumber(instance.GetDouble(), schema, path, errors);
                break;
        }
    }

    private void ValidateOneOf(JsonElement instance, JsonElement schema, JsonElement oneOf, string path, List<string> errors)
    {
        if (schema.TryGetProperty("discriminator", out var discriminator) && instance.ValueKind == JsonValueKind.Object)
        {
            var property = discriminator.GetProperty("propertyName").GetString()!;
            if (instance.TryGetProperty(property, out var tag) && tag.ValueKind == JsonValueKind.String)
            {
                if (discriminator.TryGetProperty("mapping", out var mapping))
                {
                    if (!mapping.TryGetProperty(tag.GetString()!, out var target))
                    {
                        errors.Add($"{path}.{property}: '{tag.GetString()}' is not a value the spec's discriminator knows ({string.Join(", ", mapping.EnumerateObject().Select(p => p.Name))})");
                        return;
                    }
                    Validate(instance, Resolve(target.GetString()!), path, errors);
                    return;
                }
            }
        }

        var matches = 0;
        var branchErrors = new List<string>();
        foreach (var branch in oneOf.EnumerateArray())
        {
            var attempt = Validate(instance, branch, path);
            if (attempt.Count == 0)
            {
                matches++;
            }
            else
            {
                branchErrors.AddRange(attempt);
            }
        }
        if (matches == 0)
        {
            errors.Add($"{path}: matches none of oneOf [{string.Join(" | ", branchErrors.Distinct().Take(6))}]");
        }
        else if (matches > 1)
        {
            errors.Add($"{path}: matches {matches} branches of oneOf, exactly one is allowed");
        }
    }

    private void ValidateObject(JsonElement instance, JsonElement schema, string path, List<string> errors)
    {
        var hasProperties = schema.TryGetProperty("properties", out var properties);
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!instance.TryGetProperty(name, out _))
                {
                    errors.Add($"{path}: required property '{name}' is missing");
                }
            }
        }

        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var member in instance.EnumerateObject())
        {
            var memberPath = $"{path}.{member.Name}";
            if (hasProperties && properties.TryGetProperty(member.Name, out var propertySchema))
            {
                Validate(member.Value, propertySchema, memberPath, errors);
            }
            else if (hasAdditional)
            {
                Validate(member.Value, additional, memberPath, errors);
            }
            else if (hasProperties && RejectUndeclaredProperties)
            {
                errors.Add($"{memberPath}: the spec does not declare this property");
            }
        }
    }

    private void ValidateArray(JsonElement instance, JsonElement schema, string path, List<string> errors)
    {
        var length = instance.GetArrayLength();
        if (schema.TryGetProperty("minItems", out var minItems) && length < minItems.GetInt32())
        {
            errors.Add($"{path}: {length} items, at least {minItems.GetInt32()} required");
        }
        if (schema.TryGetProperty("maxItems", out var maxItems) && length > maxItems.GetInt32())
        {
            errors.Add($"{path}: {length} items, at most {maxItems.GetInt32()} allowed");
        }
        var prefixCount = 0;
        if (schema.TryGetProperty("prefixItems", out var prefixItems))
        {
            prefixCount = prefixItems.GetArrayLength();
            for (var i = 0; i < Math.Min(prefixCount, length); i++)
            {
                Validate(instance[i], prefixItems[i], $"{path}[{i}]", errors);
            }
        }
        if (schema.TryGetProperty("items", out var items))
        {
            for (var i = prefixCount; i < length; i++)
            {
                Validate(instance[i], items, $"{path}[{i}]", errors);
            }
        }
    }

    private void ValidateString(string value, JsonElement schema, string path, List<string> errors)
    {
        var length = value.EnumerateRunes().Count();
        if (schema.TryGetProperty("minLength", out var minLength) && length < minLength.GetInt32())
        {
            errors.Add($"{path}: '{value}' is shorter than {minLength.GetInt32()}");
        }
        if (schema.TryGetProperty("maxLength", out var maxLength) && length > maxLength.GetInt32())
        {
            errors.Add($"{path}: '{Shorten(value)}' is longer than {maxLength.GetInt32()}");
        }
        if (schema.TryGetProperty("pattern", out var pattern))
        {
            var regex = Pattern(pattern.GetString()!);
            if (!regex.IsMatch(value))
            {
                errors.Add($"{path}: '{Shorten(value)}' does not match {pattern.GetString()}");
            }
        }
        if (schema.TryGetProperty("format", out var format) && format.GetString() == "date-time" && !IsDateTime(value))
        {
            errors.Add($"{path}: '{value}' is not an RFC 3339 date-time");
        }
    }

    private static void ValidateNumber(double value, JsonElement schema, string path, List<string> errors)
    {
        if (schema.TryGetProperty("minimum", out var minimum) && value < minimum.GetDouble())
        {
            errors.Add($"{path}: {value} is below the minimum {minimum.GetDouble()}");
        }
        if (schema.TryGetProperty("maximum", out var maximum) && value > maximum.GetDouble())
        {
            errors.Add($"{path}: {value} is above the maximum {maximum.GetDouble()}");
        }
        if (schema.TryGetProperty("exclusiveMinimum", out var exclusiveMinimum) && exclusiveMinimum.ValueKind == JsonValueKind.Number && value <= exclusiveMinimum.GetDouble())
        {
            errors.Add($"{path}: {value} is not above {exclusiveMinimum.GetDouble()}");
        }
        if (schema.TryGetProperty("exclusiveMaximum", out var exclusiveMaximum) && exclusiveMaximum.ValueKind == JsonValueKind.Number && value >= exclusiveMaximum.GetDouble())
        {
            errors.Add($"{path}: {value} is not below {exclusiveMaximum.GetDouble()}");
        }
    }

    private static bool MatchesType(JsonElement instance, JsonElement type) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(t => MatchesType(instance, t.GetString()!))
        : MatchesType(instance, type.GetString()!);

    private static bool MatchesType(JsonElement instance, string type) => type switch
    {
        "null" => instance.ValueKind == JsonValueKind.Null,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && Math.Abs(instance.GetDouble() % 1) == 0,
        _ => throw new NotSupportedException($"Unknown JSON Schema type '{type}'"),
    };

    // RFC 3339 requires a date, a time and an offset (or Z); Python's isoformat without offset is also what
    // pydantic emits for naive datetimes, so that is accepted as well.
    private static readonly Regex DateTimePattern = new(
        @"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant);

    private static bool IsDateTime(string value) =>
        DateTimePattern.IsMatch(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    private Regex Pattern(string pattern)
    {
        lock (_patterns)
        {
            if (!_patterns.TryGetValue(pattern, out var regex))
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant);
                _patterns[pattern] = regex;
            }
            return regex;
        }
    }

    private static string Describe(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.String => $"\"{Shorten(instance.GetString()!)}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => instance.GetRawText(),
    };

    private static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;
}
