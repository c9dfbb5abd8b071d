using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>The server-side tools LettaDev can run (memory and history search). Called with the store's gate held.</summary>
public static class ServerTools
{
    public static string Run(DevStore store, AgentEntity agent, ChatThread thread, string name, JsonObject args)
    {
        if (!store.ToolsOf(agent).Any(t => t.Name == name))
        {
            throw LettaException.BadRequest($"Tool '{name}' is not attached to this agent");
        }
        switch (name)
        {
            case BaseTools.MemoryInsert:
            {
                var block = Writable(store, agent, args);
                var text = args.RequireStr("new_str");
                var line = args.Int("insert_line") ?? -1;
                var lines = block.Value.Length == 0 ? new List<string>() : [.. block.Value.Split('\n')];
                lines.Insert(line < 0 || line > lines.Count ? lines.Count : line, text);
                block.Value = string.Join('\n', lines);
                block.UpdatedAt = store.Now;
                return $"The memory block '{block.Label}' was updated: inserted \"{text}\".";
            }
            case BaseTools.CoreMemoryAppend:
            {
                var block = Writable(store, agent, args);
                var text = args.RequireStr("content");
                block.Value = block.Value.Length == 0 ? text : block.Value + "\n" + text;
                block.UpdatedAt = store.Now;
                return $"The memory block '{block.Label}' was updated: appended \"{text}\".";
            }
            case BaseTools.MemoryReplace or BaseTools.CoreMemoryReplace:
            {
                var block = Writable(store, agent, args);
                var oldText = args.Str("old_str") ?? args.RequireStr("old_content");
                var newText = args.Str("new_str") ?? args.Str("new_content") ?? "";
                if (!block.Value.Contains(oldText, StringComparison.Ordinal))
                {
                    throw LettaException.BadRequest($"'{oldText}' was not found in the memory block '{block.Label}'");
                }
                block.Value = block.Value.Replace(oldText, newText, StringComparison.Ordinal);
                block.UpdatedAt = store.Now;
                return $"The memory block '{block.Label}' was updated: replaced \"{oldText}\".";
            }
            case BaseTools.ConversationSearch:
            {
                var query = args.RequireStr("query");
                var limit = args.Int("limit") ?? 5;
                var hits = thread.Messages
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

    private static BlockEntity Writable(DevStore store, AgentEntity agent, JsonObject args)
    {
        var block = store.AgentBlockLocked(agent, args.RequireStr("label"));
        return block.ReadOnly ? throw LettaException.BadRequest($"The memory block '{block.Label}' is read-only") : block;
    }
}
