using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>
/// The server-side tools LettaDev runs itself. letta_v1_agent gets <c>memory_insert</c>, <c>memory_replace</c> and
/// <c>conversation_search</c>; older agent types get <c>core_memory_append</c>/<c>core_memory_replace</c> instead.
/// </summary>
public static class BaseTools
{
    public const string MemoryInsert = "memory_insert";
    public const string MemoryReplace = "memory_replace";
    public const string CoreMemoryAppend = "core_memory_append";
    public const string CoreMemoryReplace = "core_memory_replace";
    public const string ConversationSearch = "conversation_search";

    public static IReadOnlyList<string> ForAgentType(string agentType) => agentType == "letta_v1_agent"
        ? [MemoryInsert, MemoryReplace, ConversationSearch]
        : [CoreMemoryAppend, CoreMemoryReplace, ConversationSearch];

    public static bool IsBase(string name) => name is MemoryInsert or MemoryReplace or CoreMemoryAppend or CoreMemoryReplace or ConversationSearch;

    public static IEnumerable<(string Name, string Type, string Description, JsonObject Parameters)> Definitions()
    {
        yield return (MemoryInsert, "letta_memory_core", "Insert text into a memory block at a line (-1 appends).",
            Params(new[] { "label", "new_str" }, ("label", "string", "Label of the memory block."), ("new_str", "string", "Text to insert."), ("insert_line", "integer", "Line after which to insert; -1 appends.")));
        yield return (MemoryReplace, "letta_memory_core", "Replace an exact string in a memory block.",
            Params(new[] { "label", "old_str", "new_str" }, ("label", "string", "Label of the memory block."), ("old_str", "string", "Exact text to replace."), ("new_str", "string", "Replacement text.")));
        yield return (CoreMemoryAppend, "letta_core", "Append to the contents of a core memory block.",
            Params(new[] { "label", "content" }, ("label", "string", "Label of the memory block."), ("content", "string", "Text to append.")));
        yield return (CoreMemoryReplace, "letta_core", "Replace the contents of a core memory block.",
            Params(new[] { "label", "old_content", "new_content" }, ("label", "string", "Label of the memory block."), ("old_content", "string", "Exact text to replace."), ("new_content", "string", "Replacement text.")));
        yield return (ConversationSearch, "letta_core", "Search prior conversation history by text.",
            Params(new[] { "query" }, ("query", "string", "Text to look for."), ("limit", "integer", "Maximum results.")));
    }

    private static JsonObject Params(string[] required, params (string Name, string Type, string Description)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, type, description) in properties)
        {
            props[name] = new JsonObject { ["type"] = type, ["description"] = description };
        }
        return new JsonObject { ["type"] = "object", ["properties"] = props, ["required"] = Views.Strings(required) };
    }

    public static JsonObject Schema(string name, string description, JsonObject parameters) => new()
    {
        ["name"] = name,
        ["description"] = description,
        ["parameters"] = parameters,
    };
}
