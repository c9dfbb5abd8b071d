using System.Text.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.Testing;

/// <summary>
/// One scripted step of LettaDev's dev model: each model step of the agent's next turns takes the next scripted
/// step before the model's own rules apply (see LettaDev's README, "Test hooks").
/// </summary>
public sealed class ScriptStep
{
    private readonly JsonObject _json;

    private ScriptStep(JsonObject json) => _json = json;

    /// <summary>The model answers with this text.</summary>
    public static ScriptStep Reply(string text) => new(new JsonObject { ["type"] = "assistant", ["text"] = text });

    /// <summary>The model calls <paramref name="tool"/> with <paramref name="arguments"/> (an object serialised as JSON, or a <see cref="JsonObject"/>).</summary>
    public static ScriptStep CallTool(string tool, object? arguments = null) => new(new JsonObject
    {
        ["type"] = "tool_call",
        ["name"] = tool,
        ["arguments"] = arguments switch
        {
            null => new JsonObject(),
            JsonNode node => node.DeepClone(),
            _ => JsonSerializer.SerializeToNode(arguments, JsonSerializerOptions.Web),
        },
    });

    /// <summary>The model pauses this long before its next step (to test what happens while a turn runs).</summary>
    public static ScriptStep Delay(TimeSpan delay) => new(new JsonObject { ["type"] = "delay", ["ms"] = (int)delay.TotalMilliseconds });

    /// <summary>The step as LettaDev's script hook takes it.</summary>
    public JsonObject ToJson() => (JsonObject)_json.DeepClone();

    public override string ToString() => _json.ToJsonString();
}
