using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>Deterministic token counts: words in, words out.</summary>
internal sealed class TurnUsage
{
    private int _prompt;
    private int _completion;
    private int _reasoning;
    private int _steps;

    public void Step(ModelStep step, string userText, ToolResult? lastResult)
    {
        _steps++;
        _prompt += Json.Words(userText) + Json.Words(lastResult?.Return);
        _reasoning += Json.Words(step.Reasoning);
        _completion += Json.Words(step.Reasoning) + step switch
        {
            AssistantStep a => Json.Words(a.Text),
            ToolCallStep t => Json.Words(t.Arguments) + 1,
            _ => 0,
        };
    }

    public JsonObject ToJson(string runId) => new()
    {
        ["message_type"] = "usage_statistics",
        ["completion_tokens"] = _completion,
        ["prompt_tokens"] = _prompt,
        ["total_tokens"] = _prompt + _completion,
        ["step_count"] = _steps,
        ["run_ids"] = new JsonArray(runId),
        ["cached_input_tokens"] = 0,
        ["cache_write_tokens"] = 0,
        ["reasoning_tokens"] = _reasoning,
        ["context_tokens"] = _prompt + _completion,
    };
}
