using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>Builds Letta's message union objects (discriminated on <c>message_type</c>).</summary>
public static class Messages
{
    public static JsonObject New(string messageType, DateTimeOffset at) => new()
    {
        ["id"] = Ids.New(Ids.Message),
        ["date"] = Views.Date(at),
        ["message_type"] = messageType,
        ["name"] = null,
        ["otid"] = null,
        ["sender_id"] = null,
        ["step_id"] = null,
        ["is_err"] = null,
        ["seq_id"] = null,
        ["run_id"] = null,
    };

    public static void SetToolCall(JsonObject message, ToolCallRequest call)
    {
        message["tool_call"] = ToolCall(call);
        message["tool_calls"] = new JsonArray(ToolCall(call));
    }

    private static JsonObject ToolCall(ToolCallRequest call) => new()
    {
        ["name"] = call.Name,
        ["arguments"] = call.Arguments,
        ["tool_call_id"] = call.ToolCallId,
    };

    /// <summary>The text of a message content: a string, or the text parts of a content array.</summary>
    public static string Text(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue(out string? s) => s,
        JsonArray parts => string.Join("", parts.OfType<JsonObject>()
            .Where(p => p.Str("type") is null or "text")
            .Select(p => p.Str("text") ?? "")),
        null => "",
        _ => content.ToJsonString(),
    };

    /// <summary>Token-sized fragments: each word with the whitespace that follows it, so the fragments join back to the text.</summary>
    public static List<string> Fragments(string text)
    {
        var fragments = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || (char.IsWhiteSpace(text[i - 1]) && !char.IsWhiteSpace(text[i])))
            {
                fragments.Add(text[start..i]);
                start = i;
            }
        }
        return fragments.Count == 0 ? [""] : fragments;
    }
}
