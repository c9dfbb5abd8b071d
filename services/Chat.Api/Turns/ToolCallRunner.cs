using System.Diagnostics;
using System.Text.Json;
using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Debug;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.Chat.Api.Tools;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.Chat;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>
/// The client-tool calls of a turn: each runs through tool-execution, is parked for the person's
/// approval, or is refused (a tool the agent may not use, or one call too many); every refusal is audited.
/// </summary>
public sealed class ToolCallRunner(
    ChatDbContext db,
    ToolExecutor toolExecutor,
    ToolPreviewer toolPreviewer,
    HandOffRunner handOffs,
    TurnEventEmitter events,
    ChatMetrics metrics,
    IOptions<ChatOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// Carries out the person's answer to a parked call: runs it, or refuses it as denied (or expired).
    /// Its result is relayed once Letta accepts the turn; returns what to send Letta.
    /// </summary>
    public async Task<IReadOnlyList<LettaInput>> AnswerAsync(TurnState turn, AgentResolved agent, ApprovalInput approval, CancellationToken cancellationToken)
    {
        var pending = approval.Pending;
        metrics.ApprovalDecided(approval.Expired ? "expired" : approval.Approve ? "granted" : "denied", ToolName(agent, pending.ToolName), agent.TemplateId, time.GetUtcNow() - pending.CreatedAt);
        if (approval.Approve)
        {
            turn.ToolCalls = pending.CallsThisTurn + 1;
            var started = Stopwatch.GetTimestamp();
            var result = await toolExecutor.ExecuteAsync(ToolCall(turn, agent, pending.ToolCallId, pending.ToolName, pending.ArgumentsJson, pending.CallsThisTurn, approval.DecidedBy), cancellationToken);
            Capture(pending.ToolCallId, pending.ToolName, pending.ArgumentsJson, "approved_by_person", result.Status, result.Result, Stopwatch.GetElapsedTime(started));
            turn.ReportedResults.Add(pending.ToolCallId);
            turn.Preamble.Add((ChatEventTypes.ToolResult, ChatEvent.Create(ChatEventTypes.ToolResult, new ToolResultData(pending.ToolCallId, result.Status, result.Result))));
            turn.AddToolMessage(pending.ToolCallId, pending.ToolName, pending.ArgumentsJson).Complete(result.Status, result.Result);
            metrics.ToolCalled(ToolName(agent, pending.ToolName), result.Status, agent.TemplateId);
            return [LettaInput.ToolResult(pending.ToolCallId, result.Result, result.Status == ToolCallStatus.Success)];
        }

        turn.ToolCalls = pending.CallsThisTurn;
        var reason = approval.Reason is { Length: > 0 } given ? given : "The user denied this tool call.";
        Capture(pending.ToolCallId, pending.ToolName, pending.ArgumentsJson, approval.Expired ? "approval_expired" : "denied_by_person", ToolCallStatus.Denied, reason, null);
        AuditRefusal(turn, agent.AgentId, pending.ToolCallId, pending.ToolName, pending.ArgumentsJson,
            approval.Expired ? ToolCallRefusals.ApprovalExpired : ToolCallRefusals.DeniedByUser, reason, approval.DecidedBy);
        turn.ReportedResults.Add(pending.ToolCallId);
        turn.Preamble.Add((ChatEventTypes.ToolResult, ChatEvent.Create(ChatEventTypes.ToolResult, new ToolResultData(pending.ToolCallId, ToolCallStatus.Denied, reason))));
        turn.AddToolMessage(pending.ToolCallId, pending.ToolName, pending.ArgumentsJson).Complete(ToolCallStatus.Denied, reason);
        metrics.ToolCalled(ToolName(agent, pending.ToolName), ToolCallStatus.Denied, agent.TemplateId);
        return [LettaInput.Deny(pending.ToolCallId, reason)];
    }

    /// <summary>
    /// Client-tool calls Letta paused on: each is executed by tool-execution, or parked for the person's
    /// approval (which ends the turn). Returns what to send Letta next, or null when the turn waits for approval.
    /// </summary>
    public async Task<IReadOnlyList<LettaInput>?> RunAsync(TurnState turn, AgentResolved agent, IReadOnlyList<LettaToolCall> calls, CancellationToken cancellationToken)
    {
        var answers = new List<LettaApprovalItem>();
        foreach (var call in calls)
        {
            var id = call.ToolCallId ?? "";
            var name = call.Name ?? "";
            var arguments = string.IsNullOrWhiteSpace(call.Arguments) ? "{}" : call.Arguments;
            await events.EmitAsync(turn, ChatEventTypes.ToolCall, new ToolCallData(id, name, arguments));
            var message = turn.AddToolMessage(id, name, arguments);

            var policy = agent.Tools.FirstOrDefault(t => t.Name == name);
            var (refusalCode, refusal) = policy is null
                ? (ToolCallRefusals.ToolNotAllowed, $"Error: the tool '{name}' is not available to this agent.")
                : turn.ToolCalls >= options.Value.MaxToolCallsPerTurn
                    ? (ToolCallRefusals.TurnLimitExceeded, $"Error: the limit of {options.Value.MaxToolCallsPerTurn} tool calls per turn is reached; answer the user without more tools.")
                    : (null, null);
            if (refusalCode is not null && refusal is not null)
            {
                AuditRefusal(turn, agent.AgentId, id, name, arguments, refusalCode, refusal, decidedBy: null);
                metrics.ToolCalled(ToolName(agent, name), "refused", agent.TemplateId);
                Capture(id, name, arguments, $"refused_by_chat:{refusalCode}", ToolCallStatus.Denied, refusal, null);
                message.Complete(ToolCallStatus.Denied, refusal);
                turn.ReportedResults.Add(id);
                await events.EmitAsync(turn, ChatEventTypes.ToolResult, new ToolResultData(id, ToolCallStatus.Denied, refusal));
                answers.Add(new LettaApprovalDecision { ToolCallId = id, Approve = false, Reason = refusal });
                continue;
            }

            if (policy!.RequiresApproval)
            {
                var preview = await toolPreviewer.PreviewAsync(new PreviewToolCall
                {
                    UserId = turn.Session.UserId,
                    AgentId = agent.AgentId,
                    SessionId = turn.Session.Id,
                    ToolCallId = id,
                    ToolName = name,
                    ArgumentsJson = arguments,
                }, cancellationToken);
                // Inside a hand-off the call waits on the person's own session, where they see and answer their approvals.
                db.PendingToolCalls.Add(new PendingToolCall
                {
                    Id = Guid.CreateVersion7(),
                    SessionId = turn.Root.Session.Id,
                    HandOffSessionId = turn.HandOff is null ? null : turn.Session.Id,
                    UserId = turn.Session.UserId,
                    TurnId = turn.Id,
                    ToolCallId = StorableText.Sanitize(id),
                    ToolName = StorableText.Sanitize(name),
                    ArgumentsJson = StorableText.SanitizeJson(arguments),
                    CallsThisTurn = turn.ToolCalls,
                    PreviewJson = preview is null ? null : StorableText.SanitizeJson(JsonSerializer.Serialize(preview, ChatEvent.JsonOptions)),
                    Status = ApprovalStatus.Pending,
                    CreatedAt = time.GetUtcNow(),
                });
                // The call enters the history with its outcome, in the turn that answers it.
                turn.History.Remove(message);
                turn.ToolMessages.Remove(message);
                var approvalRequired = new ApprovalRequiredData(id, name, arguments, $"'{name}' acts on your behalf and needs your approval.", preview, turn.HandOff?.Ref(turn.Session.Id));
                await events.EmitAsync(turn, ChatEventTypes.ApprovalRequired, approvalRequired);
                if (turn.HandOff is not null)
                {
                    // Nested under the tool card above, and at the top of the person's stream, where approvals are answered.
                    await events.EmitAsync(turn.Root, ChatEventTypes.ApprovalRequired, approvalRequired);
                }

                turn.Status = TurnStatus.AwaitingApproval;
                metrics.ApprovalAsked(name, agent.TemplateId);
                Capture(id, name, arguments, "approval_required", null, null, null);
                return null;
            }

            if (name == HandOffTool.Name)
            {
                var handOff = await HandOffAsync(turn, agent, message, id, arguments, cancellationToken);
                if (handOff is null)
                {
                    // A call inside the hand-off waits for the person; this call waits with it, outside this turn's history.
                    turn.History.Remove(message);
                    turn.ToolMessages.Remove(message);
                    turn.Status = TurnStatus.AwaitingApproval;
                    return null;
                }

                answers.Add(handOff);
                continue;
            }

            var executionStarted = Stopwatch.GetTimestamp();
            var result = await toolExecutor.ExecuteAsync(ToolCall(turn, agent, id, name, arguments, turn.ToolCalls, approvedBy: null), cancellationToken);
            Capture(id, name, arguments, result.Status == ToolCallStatus.Denied ? "denied_by_guard" : "allowed_by_guard", result.Status, result.Result, Stopwatch.GetElapsedTime(executionStarted));
            turn.ToolCalls++;
            metrics.ToolCalled(name, result.Status, agent.TemplateId);
            message.Complete(result.Status, result.Result);
            turn.ReportedResults.Add(id);
            await events.EmitAsync(turn, ChatEventTypes.ToolResult, new ToolResultData(id, result.Status, result.Result));
            answers.Add(new LettaToolResult { ToolCallId = id, ToolReturn = result.Result, Status = result.Status == ToolCallStatus.Success ? "success" : "error" });
        }

        return [new LettaApprovalInput { Approvals = answers }];
    }

    /// <summary>
    /// An <c>ask_agent</c> call: the guard decides it like any call (the other agent is the person's, the chain is not too
    /// deep, the budget holds), then <see cref="HandOffRunner"/> runs the other agent's turn. Null: a call inside waits for approval.
    /// </summary>
    private async Task<LettaApprovalItem?> HandOffAsync(TurnState turn, AgentResolved agent, HistoryItem message, string id, string arguments, CancellationToken cancellationToken)
    {
        var chain = turn.HandOff?.Context ?? new HandOffContext { ChainId = Guid.CreateVersion7(), Depth = 0 };
        var started = Stopwatch.GetTimestamp();
        var decision = await toolExecutor.ExecuteAsync(ToolCall(turn, agent, id, HandOffTool.Name, arguments, turn.ToolCalls, approvedBy: null) with { HandOff = chain }, cancellationToken);
        Capture(id, HandOffTool.Name, arguments, decision.Status == ToolCallStatus.Success ? "allowed_by_guard" : "denied_by_guard", decision.Status, decision.Result, Stopwatch.GetElapsedTime(started));
        turn.ToolCalls++;
        var result = decision.Status == ToolCallStatus.Success && TargetAgent(decision.Result) is { } target
            ? await handOffs.StartAsync(turn, id, arguments, chain.ChainId, target, cancellationToken)
            : new HandOffResult(false, decision.Status, decision.Result);
        metrics.ToolCalled(HandOffTool.Name, result.Status, agent.TemplateId);
        if (result.AwaitingApproval)
        {
            return null;
        }

        message.Complete(result.Status, result.Result);
        turn.ReportedResults.Add(id);
        await events.EmitAsync(turn, ChatEventTypes.ToolResult, new ToolResultData(id, result.Status, result.Result));
        return new LettaToolResult { ToolCallId = id, ToolReturn = result.Result, Status = result.Status == ToolCallStatus.Success ? "success" : "error" };
    }

    /// <summary>The agent the guard allowed the hand-off to (<c>data.agent_id</c> of its result).</summary>
    private static Guid? TargetAgent(string result)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(result)?["data"]?["agent_id"]?.GetValue<string>() is { } id && Guid.TryParse(id, out var agentId) ? agentId : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A tool call and what was decided about it, in the debug capture of the session when it is on.</summary>
    private static void Capture(string toolCallId, string tool, string arguments, string decision, string? status, string? result, TimeSpan? elapsed) =>
        DebugCapture.Current?.Record("tool_call", tool, new { toolCallId, arguments = SecretRedactor.Text(arguments), decision, status, result = result is null ? null : SecretRedactor.Text(result) }, elapsed);

    /// <summary>The tool's name as a metric dimension: one of the agent's tools, or <c>other</c> for a name the agent made up.</summary>
    private static string ToolName(AgentResolved agent, string name) => agent.Tools.Any(t => t.Name == name) ? name : "other";

    /// <summary>
    /// Stages a refusal that never reached tool-execution for its audit ledger; it commits with the
    /// turn's next save (the outbox), so a refusal is recorded exactly when the turn that made it is.
    /// </summary>
    private void AuditRefusal(TurnState turn, Guid agentId, string toolCallId, string name, string arguments, string reason, string message, string? decidedBy) =>
        db.Outbox().Publish(new ToolCallRefused
        {
            UserId = turn.Session.UserId,
            AgentId = agentId,
            SessionId = turn.Session.Id,
            ToolCallId = StorableText.Sanitize(toolCallId),
            ToolName = StorableText.Sanitize(name),
            ArgumentsJson = StorableText.SanitizeJson(arguments),
            Reason = reason,
            Message = message,
            DecidedBy = decidedBy,
            RefusedAt = time.GetUtcNow(),
            HandOff = turn.HandOff?.Context,
        });

    private static ExecuteToolCall ToolCall(TurnState turn, AgentResolved agent, string toolCallId, string name, string arguments, int callsThisTurn, string? approvedBy) => new()
    {
        UserId = turn.Session.UserId,
        AgentId = agent.AgentId,
        TemplateId = agent.TemplateId,
        SessionId = turn.Session.Id,
        ToolCallId = toolCallId,
        ToolName = name,
        ArgumentsJson = arguments,
        ApprovedBy = approvedBy,
        CallsThisTurn = callsThisTurn,
        HandOff = turn.HandOff?.Context,
    };
}
