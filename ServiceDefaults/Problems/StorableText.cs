using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LettaPlatform.ServiceDefaults.Problems;

/// <summary>
/// The one rule for text that reaches PostgreSQL or Letta: it may not hold U+0000 (PostgreSQL's
/// <c>text</c> and <c>jsonb</c> cannot store it) or an unpaired UTF-16 surrogate (it has no UTF-8
/// encoding). Request bodies are checked as they are read (<see cref="StorableStringConverter"/>),
/// query and path values by <see cref="UnstorableTextMiddleware"/>, token subjects at authentication,
/// and text that comes from an agent by the code that receives it.
/// </summary>
public static class StorableText
{
    public const string Rule = "Text may not hold the NUL character (U+0000) or an unpaired surrogate; remove it and send again.";

    public static bool IsStorable(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether every string (property name or value) anywhere in <paramref name="json"/> is storable.</summary>
    public static bool IsStorable(JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                return IsStorableString(json);
            case JsonValueKind.Array:
                foreach (var item in json.EnumerateArray())
                {
                    if (!IsStorable(item))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                foreach (var property in json.EnumerateObject())
                {
                    if (!IsStorable(property.Name) || !IsStorable(property.Value))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    /// <summary>Whether the JSON text parses and holds only storable strings.</summary>
    public static bool IsStorableJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return IsStorable(document.RootElement);
        }
        catch (JsonException)
        {
            return IsStorable(json);
        }
    }

    /// <summary><paramref name="text"/> with every unstorable character replaced by U+FFFD, for records of refused input.</summary>
    public static string Sanitize(string text)
    {
        if (IsStorable(text))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '\0')
            {
                chars[i] = '\uFFFD';
            }
            else if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    /// <summary>
    /// <paramref name="json"/> with every string's unstorable characters replaced by U+FFFD (as JSON
    /// text), for records of refused input; text that is not JSON becomes one sanitized JSON string.
    /// </summary>
    public static string SanitizeJson(string json)
    {
        if (IsStorableJson(json))
        {
            return json;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return SanitizeNode(document.RootElement)?.ToJsonString() ?? "null";
        }
        catch (JsonException)
        {
            return JsonValue.Create(Sanitize(json)).ToJsonString();
        }
    }

    private static JsonNode? SanitizeNode(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => JsonValue.Create(SanitizeString(json)),
        JsonValueKind.Array => new JsonArray([.. json.EnumerateArray().Select(SanitizeNode)]),
        JsonValueKind.Object => SanitizeObject(json),
        _ => JsonNode.Parse(json.GetRawText()),
    };

    private static JsonObject SanitizeObject(JsonElement json)
    {
        var result = new JsonObject();
        foreach (var property in json.EnumerateObject())
        {
            result[Sanitize(property.Name)] = SanitizeNode(property.Value);
        }

        return result;
    }

    private static string SanitizeString(JsonElement json)
    {
        try
        {
            return Sanitize(json.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return "\uFFFD";
        }
    }

    private static bool IsStorableString(JsonElement json)
    {
        try
        {
            return IsStorable(json.GetString());
        }
        catch (InvalidOperationException)
        {
            // An escaped unpaired surrogate: the reader refuses to turn it into a string.
            return false;
        }
    }
}

/// <summary>Thrown while reading a request body whose text breaks <see cref="StorableText.Rule"/>.</summary>
public sealed class UnstorableTextException(string message) : JsonException(message);

/// <summary>Reads JSON strings, refusing the ones <see cref="StorableText"/> cannot store.</summary>
public sealed class StorableStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is null || StorableText.IsStorable(value)
            ? value
            : throw new UnstorableTextException("A string holds the NUL character (U+0000), which cannot be stored; remove it and send again.");
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
