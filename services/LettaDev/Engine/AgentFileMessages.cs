using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>History messages in an Agent File: Letta's MessageSchema, one per stored message, and back.</summary>
public static class AgentFileMessages
{
    /// <summary>Letta's MessageSchema: roles user/assistant/tool/approval with content parts, tool_calls and tool_returns.</summary>
    public static JsonObject ToFileMessage(JsonObject message, string fileId)
    {
        var type = message.Str("message_type");
        var file = new JsonObject
        {
            ["type"] = "message",
            ["id"] = fileId,
            ["otid"] = message.Str("otid"),
            ["created_at"] = message.Str("date"),
            ["role"] = type switch
            {
                "user_message" => "user",
                "system_message" => "system",
                "tool_return_message" => "tool",
                "approval_request_message" or "approval_response_message" => "approval",
                _ => "assistant",
            },
            ["content"] = new JsonArray(),
        };
        var content = file["content"]!.AsArray();
        switch (type)
        {
            case "reasoning_message":
                content.Add(new JsonObject { ["type"] = "reasoning", ["is_native"] = false, ["reasoning"] = message.Str("reasoning") });
                break;
            case "tool_call_message" or "approval_request_message":
                var call = message["tool_call"]!;
                file["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["id"] = call["tool_call_id"]!.GetValue<string>(),
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call["name"]!.GetValue<string>(), ["arguments"] = call["arguments"]!.GetValue<string>() },
                });
                break;
            case "tool_return_message":
                file["tool_call_id"] = message.Str("tool_call_id");
                content.Add(new JsonObject { ["type"] = "text", ["text"] = message.Str("tool_return") });
                file["tool_returns"] = new JsonArray(new JsonObject
                {
                    ["tool_call_id"] = message.Str("tool_call_id"),
                    ["status"] = message.Str("status"),
                    ["func_response"] = message.Str("tool_return"),
                });
                break;
            case "approval_response_message":
                file["approvals"] = message["approvals"]?.DeepClone();
                break;
            default:
                content.Add(new JsonObject { ["type"] = "text", ["text"] = Messages.Text(message["content"]) });
                break;
        }
        return file;
    }

    public static JsonObject FromFileMessage(JsonObject file, DateTimeOffset now)
    {
        var role = file.Str("role");
        var created = file.Str("created_at") is { } at && DateTimeOffset.TryParse(at, out var parsed) ? parsed : now;
        var parts = file.Arr("content") ?? [];
        var call = file.Arr("tool_calls")?.OfType<JsonObject>().FirstOrDefault();
        JsonObject message;
        if (role == "tool")
        {
            message = Messages.New("tool_return_message", created);
            var toolReturn = file.Arr("tool_returns")?.OfType<JsonObject>().FirstOrDefault();
            var text = toolReturn?.Str("func_response") ?? Messages.Text(parts);
            var status = toolReturn?.Str("status") ?? "success";
            var callId = file.Str("tool_call_id") ?? toolReturn?.Str("tool_call_id") ?? "";
            message["tool_return"] = text;
            message["status"] = status;
            message["tool_call_id"] = callId;
            message["tool_returns"] = new JsonArray(new JsonObject { ["type"] = "tool", ["tool_call_id"] = callId, ["status"] = status, ["tool_return"] = text });
        }
        else if (call is not null)
        {
            message = Messages.New(role == "approval" ? "approval_request_message" : "tool_call_message", created);
            Messages.SetToolCall(message, new ToolCallRequest(call.Str("id") ?? "", call["function"]?["name"]?.GetValue<string>() ?? "",
                call["function"]?["arguments"]?.GetValue<string>() ?? "{}"));
        }
        else if (role == "approval")
        {
            message = Messages.New("approval_response_message", created);
            message["approvals"] = file["approvals"]?.DeepClone();
        }
        else if (role == "assistant" && parts.OfType<JsonObject>().FirstOrDefault()?.Str("type") == "reasoning")
        {
            message = Messages.New("reasoning_message", created);
            message["reasoning"] = parts[0]!["reasoning"]?.GetValue<string>() ?? "";
            message["source"] = "non_reasoner_model";
        }
        else
        {
            message = Messages.New(role switch { "user" => "user_message", "system" => "system_message", _ => "assistant_message" }, created);
            message["content"] = Messages.Text(parts);
        }
        message["otid"] = file.Str("otid");
        return message;
    }
}
