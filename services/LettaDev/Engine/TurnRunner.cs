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
public sealed class TurnRunner(DevStore store, RunStore runs, IOptions<LettaDevOptions> options, ILogger<TurnRunner> logger)
{
    public RunEntity Start(TurnRequest request)
    {
        var input = SendInput.Parse(request.Body);
        var clientTools = SendInput.ClientTools(request.Body);
        var maxSteps = request.Body.Int("max_steps") ?? 50;
        RunEntity run;
        AgentEntity agent;
        ChatThread thread;
        ToolResult? resumeWith = null;
        ToolCallRequest? executeApproved = null;
        string? answeredCallId = null;
        lock (store.Gate)
        {
            (agent, var conversation, thread) = store.ThreadLocked(request.AgentId, request.ConversationId);

            var otids = input.UserMessages.Select(m => m.Str("otid")).Append(input.Approval?.Str("otid")).OfType<string>().ToList();
            foreach (var otid in otids)
            {
                if (thread.RunByOtid.TryGetValue(otid, out var existingId) && runs.Find(existingId) is { } existing)
                {
                    return existing;
                }
            }

            if (thread.ActiveRunId is { } activeId && runs.Find(activeId) is { Finished: false })
            {
                throw new LettaException(StatusCodes.Status409Conflict,
                    "Cannot send a new message: another request is already being processed for this agent or conversation. Wait for it to finish or cancel it.",
                    new JsonObject { ["run_id"] = activeId });
            }

            if (input.Approval is null && thread.Pending is { } pending)
            {
                throw new LettaException(StatusCodes.Status409Conflict, new JsonObject
                {
                    ["code"] = "PENDING_APPROVAL",
                    ["message"] = "Cannot send a new message: the agent is waiting for an approval or a tool return. Answer the pending approval request first.",
                    ["pending_request_id"] = pending.RequestMessageId,
                    ["pending_tool_call_ids"] = new JsonArray(pending.Call.ToolCallId),
                    ["run_id"] = pending.RunId,
                });
            }

            if (input.Approval is { } approval)
            {
                var pendingApproval = thread.Pending ?? throw LettaException.BadRequest("There is no pending approval request to answer for this agent or conversation");
                (resumeWith, executeApproved) = SendInput.ResolveApproval(approval, pendingApproval);
                answeredCallId = pendingApproval.Call.ToolCallId;
            }

            run = new RunEntity
            {
                Id = Ids.New(Ids.Run),
                AgentId = agent.Id,
                ConversationId = conversation?.Id,
                Background = request.Background,
                StreamTokens = request.StreamTokens,
                CreatedAt = store.Now,
                Sequence = store.NextSequence(),
                RequestConfig = new JsonObject
                {
                    ["use_assistant_message"] = true,
                    ["include_return_message_types"] = request.Body["include_return_message_types"]?.DeepClone(),
                },
            };
            runs.Add(run);
            thread.ActiveRunId = run.Id;
            thread.LastRunId = run.Id;
            otids.ForEach(otid => thread.RunByOtid[otid] = run.Id);
            if (conversation is not null)
            {
                conversation.LastMessageAt = store.Now;
            }

            var stepId = Ids.New(Ids.Step);
            foreach (var message in input.UserMessages)
            {
                var role = message.Str("role") ?? "user";
                var stored = Messages.New(role == "system" ? "system_message" : role == "assistant" ? "assistant_message" : "user_message", store.Now);
                stored["content"] = message["content"]?.DeepClone();
                stored["otid"] = message.Str("otid") ?? Guid.NewGuid().ToString("D");
                stored["name"] = message.Str("name");
                stored["sender_id"] = message.Str("sender_id");
                Record(run, thread, stored, stepId, emit: false);
            }
            if (input.Approval is { } answered)
            {
                var stored = Messages.New("approval_response_message", store.Now);
                stored["otid"] = answered.Str("otid") ?? Guid.NewGuid().ToString("D");
                stored["approvals"] = SendInput.NormalizedApprovals(answered, thread.Pending!);
                Record(run, thread, stored, stepId, emit: false);
                thread.Pending = null;
            }
        }

        var userText = string.Join("\n", input.UserMessages.Select(m => Messages.Text(m["content"])));
        _ = Task.Run(() => ExecuteAsync(run, agent, thread, userText, resumeWith, executeApproved, answeredCallId, clientTools, maxSteps));
        return run;
    }

    private async Task ExecuteAsync(RunEntity run, AgentEntity agent, ChatThread thread, string userText, ToolResult? lastResult,
        ToolCallRequest? approvedCall, string? answeredCallId, IReadOnlyDictionary<string, JsonObject?> clientTools, int maxSteps)
    {
        var usage = new TurnUsage();
        var stopReason = "end_turn";
        string? error = null;
        var ct = run.Cancellation.Token;
        try
        {
            if (lastResult is not null)
            {
                await EmitToolReturn(run, thread, lastResult, answeredCallId, ct);
            }
            if (approvedCall is not null)
            {
                lastResult = ExecuteServerTool(agent, thread, approvedCall);
                await EmitToolReturn(run, thread, lastResult, approvedCall.ToolCallId, ct);
            }

            var steps = 0;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (steps++ >= maxSteps)
                {
                    stopReason = "max_steps";
                    break;
                }
                var step = await NextStep(agent, thread, userText, lastResult, clientTools, ct);
                var stepId = Ids.New(Ids.Step);
                usage.Step(step, userText, lastResult);

                var reasoning = Messages.New("reasoning_message", store.Now);
                reasoning["reasoning"] = step.Reasoning;
                reasoning["source"] = "non_reasoner_model";
                reasoning["signature"] = null;
                await Emit(run, thread, reasoning, stepId, "reasoning", ct);

                if (step is AssistantStep assistant)
                {
                    var message = Messages.New("assistant_message", store.Now);
                    message["content"] = assistant.Text;
                    await Emit(run, thread, message, stepId, "content", ct);
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
                bool isClient;
                bool needsApproval;
                lock (store.Gate)
                {
                    isClient = clientTools.ContainsKey(call.ToolName);
                    needsApproval = isClient || DevStore.RequiresApproval(agent, call.ToolName);
                }
                if (needsApproval)
                {
                    var approval = Messages.New("approval_request_message", store.Now);
                    Messages.SetToolCall(approval, request);
                    await Emit(run, thread, approval, stepId, null, ct);
                    lock (store.Gate)
                    {
                        thread.Pending = new PendingApproval(approval["id"]!.GetValue<string>(), run.Id, request, isClient);
                    }
                    stopReason = "requires_approval";
                    break;
                }
                var toolCall = Messages.New("tool_call_message", store.Now);
                Messages.SetToolCall(toolCall, request);
                await Emit(run, thread, toolCall, stepId, null, ct);
                lastResult = ExecuteServerTool(agent, thread, request);
                await EmitToolReturn(run, thread, lastResult, request.ToolCallId, ct, stepId);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            stopReason = "cancelled";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogError(ex, "Run {RunId} failed", run.Id);
            stopReason = "error";
            error = ex.Message;
        }
        Finish(run, agent, thread, stopReason, error, usage);
    }

    private async Task<ModelStep> NextStep(AgentEntity agent, ChatThread thread, string userText, ToolResult? lastResult,
        IReadOnlyDictionary<string, JsonObject?> clientTools, CancellationToken ct)
    {
        while (true)
        {
            ScriptStep? scripted;
            ModelInput input;
            lock (store.Gate)
            {
                agent.Script.TryDequeue(out scripted);
                var persona = store.BlocksOf(agent).FirstOrDefault(b => b.Label == "persona")?.Value.Split('\n')[0].Trim();
                input = new ModelInput(userText, lastResult, string.IsNullOrEmpty(persona) ? "" : $"My persona: {persona}", clientTools,
                    store.ToolsOf(agent).Select(t => t.Name).ToHashSet(StringComparer.Ordinal));
            }
            switch (scripted)
            {
                case null:
                    return DevModel.Decide(input);
                case { Type: "delay" }:
                    await Task.Delay(scripted.DelayMs, ct);
                    continue;
                case { Type: "assistant" }:
                    return new AssistantStep("Scripted step.", scripted.Text ?? "");
                case { Type: "tool_call" }:
                    return new ToolCallStep("Scripted step.", scripted.ToolName ?? "", scripted.Arguments?.ToJsonString() ?? "{}");
                default:
                    return new ErrorStep("Scripted step.", scripted.StopReason ?? "llm_api_error", scripted.Text ?? "Scripted failure");
            }
        }
    }

    private ToolResult ExecuteServerTool(AgentEntity agent, ChatThread thread, ToolCallRequest call)
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
        lock (store.Gate)
        {
            try
            {
                return new ToolResult(call.Name, ServerTools.Run(store, agent, thread, call.Name, args), "success");
            }
            catch (LettaException ex)
            {
                return new ToolResult(call.Name, $"Error: {ex.Message}", "error");
            }
        }
    }

    private async Task EmitToolReturn(RunEntity run, ChatThread thread, ToolResult result, string? toolCallId, CancellationToken ct, string? stepId = null)
    {
        var message = Messages.New("tool_return_message", store.Now);
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
        await Emit(run, thread, message, stepId ?? Ids.New(Ids.Step), null, ct);
    }

    /// <param name="tokenField">The text field split into fragments when the run streams tokens; null sends the message whole.</param>
    private async Task Emit(RunEntity run, ChatThread thread, JsonObject message, string stepId, string? tokenField, CancellationToken ct)
    {
        var delay = options.Value.TokenDelay;
        if (!run.StreamTokens || tokenField is null)
        {
            lock (store.Gate)
            {
                Record(run, thread, message, stepId, emit: true);
            }
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ct);
            }
            return;
        }
        var text = message[tokenField]!.GetValue<string>();
        var fragments = Messages.Fragments(text);
        lock (store.Gate)
        {
            Record(run, thread, message, stepId, emit: false);
        }
        foreach (var fragment in fragments)
        {
            ct.ThrowIfCancellationRequested();
            lock (store.Gate)
            {
                run.AppendFragment(message, tokenField, fragment);
            }
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, ct);
            }
        }
    }

    /// <summary>Stamps a message with its run, step and otid, keeps it in history and the run (and, when emitted, in the run's frames).</summary>
    private static void Record(RunEntity run, ChatThread thread, JsonObject message, string stepId, bool emit)
    {
        message["run_id"] = run.Id;
        message["step_id"] = stepId;
        message["otid"] ??= Guid.NewGuid().ToString("D");
        run.Record(message, emit);
        thread.Messages.Add(message);
    }

    private void Finish(RunEntity run, AgentEntity agent, ChatThread thread, string stopReason, string? error, TurnUsage usage)
    {
        lock (store.Gate)
        {
            run.Finish(stopReason, error, usage.ToJson(run.Id), store.Now);
            if (stopReason == "cancelled")
            {
                thread.Pending = null;
            }
            if (thread.ActiveRunId == run.Id)
            {
                thread.ActiveRunId = null;
            }
            agent.LastStopReason = stopReason;
            agent.LastRunCompletion = run.CompletedAt;
        }
    }
}
