using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>The server-side tools LettaDev can run (memory and history search); each edit of a block is atomic.</summary>
public static class ServerTools
{
    public static string Run(AgentStore agents, string agentId, ChatThread thread, string name, JsonObject args)
    {
        if (!agents.Get(agentId).Tools.Any(t => t.Name == name))
        {
            throw LettaException.BadRequest($"Tool '{name}' is not attached to this agent");
        }
        switch (name)
        {
            case BaseTools.MemoryInsert:
            {
                var text = "";
                var edited = Edit(agents, agentId, args, block =>
                {
                    text = args.RequireStr("new_str");
                    var line = args.Int("insert_line") ?? -1;
                    var lines = block.Value.Length == 0 ? new List<string>() : [.. block.Value.Split('\n')];
                    lines.Insert(line < 0 || line > lines.Count ? lines.Count : line, text);
                    return string.Join('\n', lines);
                });
                return $"The memory block '{edited.Label}' was updated: inserted \"{text}\".";
            }
            case BaseTools.CoreMemoryAppend:
            {
                var text = "";
                var edited = Edit(agents, agentId, args, block =>
                {
                    text = args.RequireStr("content");
                    return block.Value.Length == 0 ? text : block.Value + "\n" + text;
                });
                return $"The memory block '{edited.Label}' was updated: appended \"{text}\".";
            }
            case BaseTools.MemoryReplace or BaseTools.CoreMemoryReplace:
            {
                var oldText = "";
                var edited = Edit(agents, agentId, args, block =>
                {
                    oldText = args.Str("old_str") ?? args.RequireStr("old_content");
                    var newText = args.Str("new_str") ?? args.Str("new_content") ?? "";
                    return block.Value.Contains(oldText, StringComparison.Ordinal)
                        ? block.Value.Replace(oldText, newText, StringComparison.Ordinal)
                        : throw LettaException.BadRequest($"'{oldText}' was not found in the memory block '{block.Label}'");
                });
                return $"The memory block '{edited.Label}' was updated: replaced \"{oldText}\".";
            }
            case BaseTools.ConversationSearch:
            {
                var query = args.RequireStr("query");
                var limit = args.Int("limit") ?? 5;
                var hits = thread.History()
                    .Where(m => m.Str("message_type") is "user_message" or "assistant_message")
                    .Select(m => Messages.Text(m["content"]))
                    .Where(t => t.Contains(query, StringComparison.OrdinalIgnoreCase))
                    .TakeLast(limit)
                    .ToList();
                return hits.Count == 0 ? "No results found." : string.Join("\n", hits);
            }
            default:
                throw LettaException.BadRequest($"LettaDev cannot run the source code of '{name}'; offer it as a client tool or require approval");
        }
    }

    /// <summary>Sets the value of the agent's block named by <c>label</c> to what <paramref name="edit"/> makes of it, unless the block is read-only.</summary>
    private static BlockEntity Edit(AgentStore agents, string agentId, JsonObject args, Func<BlockEntity, string> edit) =>
        agents.EditBlock(agentId, args.RequireStr("label"), block =>
            block.ReadOnly ? throw LettaException.BadRequest($"The memory block '{block.Label}' is read-only") : edit(block));
}
