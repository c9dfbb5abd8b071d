using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>
/// What one send carries, read from any of Letta's request forms: new messages (or the <c>input</c> shorthand),
/// or the answer to a pending approval; plus the client tools the caller offers for this turn.
/// </summary>
internal sealed record SendInput(List<JsonObject> UserMessages, JsonObject? Approval)
{
    public static SendInput Parse(JsonObject body)
    {
        if (body["input"] is { } shorthand && body["messages"] is null)
        {
            return new SendInput([new JsonObject { ["role"] = "user", ["content"] = shorthand.DeepClone() }], null);
        }
        var messages = body.Arr("messages") ?? throw LettaException.Invalid("body: either 'messages' or 'input' must be provided");
        var users = new List<JsonObject>();
        JsonObject? approval = null;
        foreach (var node in messages)
        {
            var message = node as JsonObject ?? throw LettaException.Invalid("body.messages: Input should be an object");
            switch (message.Str("type"))
            {
                case "approval" or "tool_return":
                    approval = message;
                    break;
                case null or "message":
                    if (message.Str("role") is not ("user" or "system" or "assistant"))
                    {
                        throw LettaException.Invalid("body.messages.role: Input should be 'user', 'system' or 'assistant'");
                    }
                    if (message["content"] is not (JsonValue or JsonArray))
                    {
                        throw LettaException.Invalid("body.messages.content: Field required");
                    }
                    users.Add(message);
                    break;
                default:
                    throw LettaException.Invalid($"body.messages.type: unknown message type '{message.Str("type")}'");
            }
        }
        if (approval is not null && users.Count > 0)
        {
            throw LettaException.BadRequest("An approval or tool return cannot be sent together with new messages");
        }
        if (approval is null && users.Count == 0)
        {
            throw LettaException.Invalid("body.messages: at least one message is required");
        }
        return new SendInput(users, approval);
    }

    public static Dictionary<string, JsonObject?> ClientTools(JsonObject body)
    {
        var tools = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        foreach (var node in body.Arr("client_tools") ?? [])
        {
            var tool = node as JsonObject ?? throw LettaException.Invalid("body.client_tools: Input should be an object");
            tools[tool.RequireStr("name")] = tool.Obj("parameters")?.DeepClone().AsObject();
        }
        return tools;
    }

    /// <summary>Reads an approval answer in any of Letta's forms: approvals[], tool_returns[], or the deprecated top-level approve.</summary>
    public static (ToolResult? Result, ToolCallRequest? Execute) ResolveApproval(JsonObject answer, PendingApproval pending)
    {
        var items = (answer.Arr("approvals") ?? answer.Arr("tool_returns") ?? []).OfType<JsonObject>().ToList();
        if (items.Count == 0 && answer.Bool("approve") is { } approve)
        {
            if (answer.Str("approval_request_id") is { } requestId && requestId != pending.RequestMessageId && requestId != pending.Call.ToolCallId)
            {
                throw LettaException.BadRequest($"Invalid approval_request_id '{requestId}': the pending request is '{pending.RequestMessageId}'");
            }
            items.Add(new JsonObject { ["type"] = "approval", ["tool_call_id"] = pending.Call.ToolCallId, ["approve"] = approve, ["reason"] = answer.Str("reason") });
        }
        var item = items.FirstOrDefault(i => i.Str("tool_call_id") == pending.Call.ToolCallId)
            ?? throw LettaException.BadRequest($"The answer does not carry the pending tool_call_id '{pending.Call.ToolCallId}'");
        if (item.Str("type") == "tool" || item.ContainsKey("tool_return"))
        {
            var status = item.Str("status") ?? "success";
            return (new ToolResult(pending.Call.Name, Messages.Text(item["tool_return"]), status), null);
        }
        if (item.Bool("approve") is not { } approved)
        {
            throw LettaException.Invalid("body.messages.approvals.approve: Field required");
        }
        if (!approved)
        {
            var reason = item.Str("reason");
            return (new ToolResult(pending.Call.Name, $"Error: request to call tool denied. User reason: {reason ?? "none given"}", "error"), null);
        }
        return pending.IsClientTool
            ? (new ToolResult(pending.Call.Name, "Error: a client-side tool was approved without a tool_return; send the result as a tool return.", "error"), null)
            : (null, pending.Call);
    }

    public static JsonArray NormalizedApprovals(JsonObject answer, PendingApproval pending)
    {
        var items = answer.Arr("approvals") ?? answer.Arr("tool_returns");
        if (items is not null)
        {
            return items.DeepClone().AsArray();
        }
        return [new JsonObject { ["type"] = "approval", ["tool_call_id"] = pending.Call.ToolCallId, ["approve"] = answer.Bool("approve") ?? false, ["reason"] = answer.Str("reason") }];
    }
}
