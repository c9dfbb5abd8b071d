using System.Text.Json;
using System.Text.Json.Serialization;

namespace LettaPlatform.Letta;

/// <summary>
/// Reads the message union by <c>message_type</c> wherever it sits in the object, and keeps
/// unknown types as <see cref="UnknownLettaMessage"/> instead of failing (Letta adds types over time).
/// </summary>
internal sealed class LettaMessageConverter : JsonConverter<LettaMessage>
{
    private static readonly Dictionary<string, Type> Types = new()
    {
        [LettaMessageTypes.System] = typeof(SystemMessage),
        [LettaMessageTypes.User] = typeof(UserMessage),
        [LettaMessageTypes.Assistant] = typeof(AssistantMessage),
        [LettaMessageTypes.Reasoning] = typeof(ReasoningMessage),
        [LettaMessageTypes.HiddenReasoning] = typeof(HiddenReasoningMessage),
        [LettaMessageTypes.ToolCall] = typeof(ToolCallMessage),
        [LettaMessageTypes.ToolReturn] = typeof(ToolReturnMessage),
        [LettaMessageTypes.ApprovalRequest] = typeof(ApprovalRequestMessage),
        [LettaMessageTypes.ApprovalResponse] = typeof(ApprovalResponseMessage),
        [LettaMessageTypes.Summary] = typeof(SummaryMessage),
        [LettaMessageTypes.Event] = typeof(EventMessage),
    };

    public override LettaMessage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return FromElement(document.RootElement, options);
    }

    public static LettaMessage FromElement(JsonElement element, JsonSerializerOptions options)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"A Letta message must be a JSON object, not {element.ValueKind}.");
        }
        var messageType = element.TryGetProperty("message_type", out var discriminator) && discriminator.ValueKind == JsonValueKind.String
            ? discriminator.GetString()!
            : "";
        if (Types.TryGetValue(messageType, out var type))
        {
            return (LettaMessage)element.Deserialize(type, options)!;
        }
        var unknown = element.Deserialize<UnknownLettaMessage>(options)!;
        return unknown with { Type = messageType, Raw = element.Clone() };
    }

    public override void Write(Utf8JsonWriter writer, LettaMessage value, JsonSerializerOptions options)
    {
        if (value is UnknownLettaMessage unknown)
        {
            unknown.Raw.WriteTo(writer);
            return;
        }
        JsonSerializer.Serialize(writer, value, value.GetType(), options);
    }
}

internal sealed class LettaContentConverter : JsonConverter<LettaContent>
{
    public override LettaContent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new LettaContent(reader.GetString(), null);
            case JsonTokenType.StartArray:
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    return new LettaContent(null, document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray());
                }
            default:
                throw new JsonException($"Message content must be a string or an array, not {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, LettaContent value, JsonSerializerOptions options)
    {
        if (value.Parts is null)
        {
            writer.WriteStringValue(value.Value);
            return;
        }
        writer.WriteStartArray();
        foreach (var part in value.Parts)
        {
            part.WriteTo(writer);
        }
        writer.WriteEndArray();
    }
}

/// <summary><c>tool_calls</c> is a list of calls, or a single delta object while tokens stream.</summary>
internal sealed class LettaToolCallsConverter : JsonConverter<IReadOnlyList<LettaToolCall>>
{
    public override IReadOnlyList<LettaToolCall>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.StartArray => JsonSerializer.Deserialize<LettaToolCall[]>(ref reader, options),
            JsonTokenType.StartObject => [JsonSerializer.Deserialize<LettaToolCall>(ref reader, options)!],
            _ => throw new JsonException($"tool_calls must be an array or an object, not {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<LettaToolCall> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.ToArray(), options);
}

/// <summary>A tool return is a string or a list of content parts; parts are flattened to their text.</summary>
internal sealed class LettaToolReturnValueConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array && root.EnumerateArray().All(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out _)))
        {
            return string.Concat(root.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
        }
        return root.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
