using System.Text.Json;
using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;
using Microsoft.Extensions.Options;

namespace LettaPlatform.LettaDev.Engine;

public sealed record TurnRequest(string? AgentId, string? ConversationId, JsonObject Body, bool StreamTokens, bool Background);

/// <summary>
/// Runs one turn of an agent: registers the run (rejecting busy threads and pending approvals), then plays the
/// model's steps in the background, appending every frame to the run so any number of readers can follow or resume.
/// </summary>
public sealed class TurnRunner(
    ConversationStore conversations,
    AgentStore agents,
    AgentScripts scripts,
    RunStore runs,
    TimeProvider time,
    IOptions<LettaDevOptions> options,
    ILogger<TurnRunner> logger)
{
    public RunEntity Start(TurnRequest request)
    {
        var input = SendInput.Parse(request.Body);
        var clientTools = SendInput.ClientTools(request.Body);
        var maxSteps = request.Body.Int("max_steps") ?? 50;
        var target = conversations.Resolve(request.AgentId, request.ConversationId);
        var otids = input.UserMessages.Select(m => m.Str("otid")).Append(input.Approval?.Str("otid")).OfType<string>().ToList();

        ToolResult? resumeWith = null;
        ToolCallRequest? executeApproved = null;
        string? answeredCallId = null;
        var (run, started) = target.Thread.Begin(otids, input.Approval is not null, pending =>
        {
            if (input.Approval is { } approval)
            {
                (resumeWith, executeApproved) = SendInput.ResolveApproval(approval, pending!);
                answeredCallId = pending!.Call.ToolCallId;
            }
            var created = new RunEntity
            {
                Id = Ids.New(Ids.Run),
                AgentId = target.AgentId,
                ConversationId = target.ConversationId,
                Background = request.Background,
                StreamTokens = request.StreamTokens,
                CreatedAt = time.GetUtcNow(),
                RequestConfig = new JsonObject
                {
                    ["use_assistant_message"] = true,
                    ["include_return_message_types"] = request.Body["include_return_message_types"]?.DeepClone(),
                },
            };
            runs.Add(created);
            return new TurnOpening(created, InputMessages(input, pending));
        });
        if (!started)
        {
            return run;
        }
        if (target.ConversationId is { } conversationId)
        {
            conversations.Touch(conversationId);
        }

        var userText = string.Join("\n", input.UserMessages.Select(m => Messages.Text(m["content"])));
        var latestRequest = userText.Length > 0 ? userText : LatestUserText(target.Thread);
        var turn = new Turn(run, target.AgentId, target.Thread, userText, clientTools, maxSteps, latestRequest);
        _ = Task.Run(() => ExecuteAsync(turn, resumeWith, executeApproved, answeredCallId));
        return run;
    }

    /// <summary>The messages a send adds to history: the new user (or system) messages, or the answer to the pending approval.</summary>
    private List<JsonObject> InputMessages(SendInput input, PendingApproval? pending)
    {
        var now = time.GetUtcNow();
        var stored = new List<JsonObject>();
        foreach (var message in input.UserMessages)
        {
            var role = message.Str("role") ?? "user";
            var user = Messages.New(role == "system" ? "system_message" : role == "assistant" ? "assistant_message" : "user_message", now);
            user["content"] = message["content"]?.DeepClone();
            user["otid"] = message.Str("otid") ?? Guid.NewGuid().ToString("D");
            user["name"] = message.Str("name");
            user["sender_id"] = message.Str("sender_id");
            stored.Add(user);
        }
        if (input.Approval is { } answered)
        {
            var response = Messages.New("approval_response_message", now);
            response["otid"] = answered.Str("otid") ?? Guid.NewGuid().ToString("D");
            response["approvals"] = SendInput.NormalizedApprovals(answered, pending!);
            stored.Add(response);
        }
        return stored;
    }

    /// <summary>What every step of one turn works with.</summary>
    /// <summary>What every step of one turn works with; <see cref="Request"/> is the person's latest message, also when this turn only answers a tool call.</summary>
    private sealed record Turn(RunEntity Run, string AgentId, ChatThread Thread, string UserText,
        IReadOnlyDictionary<string, JsonObject?> ClientTools, int MaxSteps, string Request);

    private async Task ExecuteAsync(Turn turn, ToolResult? lastResult, ToolCallRequest? approvedCall, string? answeredCallId)
    {
        var usage = new TurnUsage();
        var stopReason = "end_turn";
        string? error = null;
        var ct = turn.Run.Cancellation.Token;
        try
        {
            if (lastResult is not null)
            {
                await EmitToolReturn(turn, lastResult, answeredCallId, ct);
            }
            if (approvedCall is not null)
            {
                lastResult = ExecuteServerTool(turn, approvedCall);
                await EmitToolReturn(turn, lastResult, approvedCall.ToolCallId, ct);
            }

            var steps = 0;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (steps++ >= turn.MaxSteps)
                {
                    stopReason = "max_steps";
                    break;
                }
                var step = await NextStep(turn, lastResult, ct);
                var stepId = Ids.New(Ids.Step);
                usage.Step(step, turn.UserText, lastResult);

                var reasoning = Messages.New("reasoning_message", time.GetUtcNow());
                reasoning["reasoning"] = step.Reasoning;
                reasoning["source"] = "non_reasoner_model";
                reasoning["signature"] = null;
                await Emit(turn, reasoning, stepId, "reasoning", ct);

                if (step is AssistantStep assistant)
                {
                    var message = Messages.New("assistant_message", time.GetUtcNow());
                    message["content"] = assistant.Text;
                    await Emit(turn, message, stepId, "content", ct);
                    break;
                }
                if (step is ErrorStep failure)
                {
                    stopReason = failure.StopReason;
                    error = failure.Message;
                    break;
                }
                var call = (ToolCallStep)step;
                var request = new ToolCallRequest($"call_{Guid.NewGuid():N}"[..29], call.ToolName, call.Arguments);
                var isClient = turn.ClientTools.ContainsKey(call.ToolName);
                if (isClient || AgentStore.RequiresApproval(agents.Require(turn.AgentId), call.ToolName))
                {
                    var approval = Messages.New("approval_request_message", time.GetUtcNow());
                    Messages.SetToolCall(approval, request);
                    await Emit(turn, approval, stepId, null, ct);
                    turn.Thread.AwaitApproval(new PendingApproval(approval["id"]!.GetValue<string>(), turn.Run.Id, request, isClient));
                    stopReason = "requires_approval";
                    break;
                }
                var toolCall = Messages.New("tool_call_message", time.GetUtcNow());
                Messages.SetToolCall(toolCall, request);
                await Emit(turn, toolCall, stepId, null, ct);
                lastResult = ExecuteServerTool(turn, request);
                await EmitToolReturn(turn, lastResult, request.ToolCallId, ct, stepId);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            stopReason = "cancelled";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogError(ex, "Run {RunId} failed", turn.Run.Id);
            stopReason = "error";
            error = ex.Message;
        }

        // The agent shows how the run ended before the run does, so a client that sees the end reads an agent that agrees.
        var now = time.GetUtcNow();
        agents.RecordRunEnd(turn.AgentId, stopReason, now);
        turn.Thread.End(turn.Run, stopReason, error, usage.ToJson(turn.Run.Id), now);
    }

    private async Task<ModelStep> NextStep(Turn turn, ToolResult? lastResult, CancellationToken ct)
    {
        while (true)
        {
            switch (scripts.TakeNext(turn.AgentId))
            {
                case null:
                    return DevModel.Decide(ModelInput(turn, lastResult));
                case { Type: "delay" } delay:
                    await Task.Delay(delay.DelayMs, ct);
                    continue;
                case { Type: "assistant" } scripted:
                    return new AssistantStep("Scripted step.", scripted.Text ?? "");
                case { Type: "tool_call" } scripted:
                    return new ToolCallStep("Scripted step.", scripted.ToolName ?? "", scripted.Arguments?.ToJsonString() ?? "{}");
                case var scripted:
                    return new ErrorStep("Scripted step.", scripted.StopReason ?? "llm_api_error", scripted.Text ?? "Scripted failure");
            }
        }
    }

    /// <summary>The model reads the agent as it is now: a memory tool of an earlier step may have changed the persona.</summary>
    private ModelInput ModelInput(Turn turn, ToolResult? lastResult)
    {
        var agent = agents.Get(turn.AgentId);
        var persona = agent.Blocks.FirstOrDefault(b => b.Label == "persona")?.Value.Split('\n')[0].Trim();
        return new ModelInput(turn.UserText, lastResult, string.IsNullOrEmpty(persona) ? "" : $"My persona: {persona}", turn.ClientTools,
            agent.Tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal), turn.Request,
            agent.Blocks.GroupBy(b => b.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal));
    }

    private static string LatestUserText(ChatThread thread) =>
        thread.History().LastOrDefault(m => m["message_type"]?.GetValue<string>() == "user_message") is { } message ? Messages.Text(message["content"]) : "";

    private ToolResult ExecuteServerTool(Turn turn, ToolCallRequest call)
    {
        JsonObject args;
        try
        {
            args = JsonNode.Parse(call.Arguments) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return new ToolResult(call.Name, "Error: the tool arguments are not a JSON object", "error");
        }
        try
        {
            return new ToolResult(call.Name, ServerTools.Run(agents, turn.AgentId, turn.Thread, call.Name, args), "success");
        }
        catch (LettaException ex)
        {
            return new ToolResult(call.Name, $"Error: {ex.Message}", "error");
        }
    }

    private async Task EmitToolReturn(Turn turn, ToolResult result, string? toolCallId, CancellationToken ct, string? stepId = null)
    {
        var message = Messages.New("tool_return_message", time.GetUtcNow());
        var id = toolCallId ?? "";
        message["tool_return"] = result.Return;
        message["status"] = result.Status;
        message["tool_call_id"] = id;
        message["stdout"] = null;
        message["stderr"] = null;
        message["tool_returns"] = new JsonArray(new JsonObject
        {
            ["type"] = "tool",
            ["tool_call_id"] = id,
            ["status"] = result.Status,
            ["tool_return"] = result.Return,
            ["stdout"] = null,
            ["stderr"] = null,
        });
        await Emit(turn, message, stepId ?? Ids.New(Ids.Step), null, ct);
    }

    /// <param name="tokenField">The text field split into fragments when the run streams tokens; null sends the message whole.</param>
    private async Task Emit(Turn turn, JsonObject message, string stepId, string? tokenField, CancellationToken ct)
    {
        var delay = options.Value.TokenDelay;
        if (!turn.Run.StreamTokens || tokenField is null)
        {
            turn.Thread.Record(turn.Run, message, stepId, emit: true);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ct);
            }
            return;
        }
        var fragments = Messages.Fragments(message[tokenField]!.GetValue<string>());
        turn.Thread.Record(turn.Run, message, stepId, emit: false);
        foreach (var fragment in fragments)
        {
            ct.ThrowIfCancellationRequested();
            turn.Run.AppendFragment(message, tokenField, fragment);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ct);
            }
        }
    }
}
