using System.Text.Json;
using System.Text.Json.Nodes;
using LettaPlatform.Chat.Api.Agents;
using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>What a hand-off answers the agent that asked: a tool result, or nothing yet (a call inside it waits for the person).</summary>
public sealed record HandOffResult(bool AwaitingApproval, string Status, string Result);

/// <summary>
/// Hand-offs (issue 19): an agent's <c>ask_agent</c> call, once tool-execution's guard allowed it, runs the other agent's
/// turn in a session of its own linked to the asking one (<see cref="ChatSession.ParentSessionId"/>, the chain id, the
/// <c>ask_agent</c> call id). The other turn's events reach the person's stream nested under the tool card
/// (<c>handoff_started</c>, <c>handoff_event</c>, <c>handoff_finished</c>); its last reply is the tool's result. Every call
/// inside goes through the guard with the chain's context and counts against the chain's one per-turn budget. A call
/// inside that needs approval is parked on the person's own session, and their answer resumes the chain from the top
/// (<see cref="ResumeAsync"/>).
/// </summary>
public sealed partial class HandOffRunner(
    ChatDbContext db,
    IServiceProvider services,
    AgentResolver agents,
    TurnEventEmitter events,
    TurnRecorder recorder,
    TimeProvider time,
    ILogger<HandOffRunner> logger)
{
    private const int MaxTitleRequestLength = 120;

    /// <summary>Runs the hand-off the guard allowed for the <c>ask_agent</c> call <paramref name="askId"/> of <paramref name="turn"/>.</summary>
    public async Task<HandOffResult> StartAsync(TurnState turn, string askId, string arguments, Guid chainId, Guid targetAgentId, CancellationToken cancellationToken)
    {
        var request = RequestOf(arguments) ?? "";
        Contracts.AgentManagement.AgentResolved target;
        try
        {
            target = await agents.ResolveAsync(turn.Session.UserId, targetAgentId, cancellationToken);
        }
        catch (ApiProblemException problem)
        {
            return Failure("handoff_unavailable", $"The other agent could not be reached: {problem.Message} Answer without it.");
        }

        var now = time.GetUtcNow();
        var depth = (turn.HandOff?.Depth ?? 0) + 1;
        var child = new ChatSession
        {
            Id = Guid.CreateVersion7(),
            UserId = turn.Session.UserId,
            AgentId = target.AgentId,
            TemplateId = target.TemplateId,
            Title = Title(turn.Session.TemplateId, request),
            ParentSessionId = turn.Session.Id,
            HandOffChainId = chainId,
            HandOffToolCallId = StorableText.Sanitize(askId),
            HandOffArguments = StorableText.SanitizeJson(arguments),
            HandOffDepth = depth,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Sessions.Add(child);
        await db.SaveChangesAsync(cancellationToken);
        LogHandOff(chainId, turn.Session.Id, child.Id, depth);

        var frame = new HandOffFrame(chainId, depth, askId, turn, turn.Root, turn.ToolCalls);
        await events.EmitAsync(turn, ChatEventTypes.HandOffStarted,
            new HandOffStartedData(askId, chainId, depth, child.Id, target.AgentId, target.TemplateId, request, Resumed: false));
        var outcome = await RunAsync(child, new UserMessageInput(StorableText.Sanitize(request)), frame, cancellationToken);
        return await FinishAsync(turn, child, frame, outcome);
    }

    /// <summary>
    /// The person answered a call parked inside a hand-off: <paramref name="turn"/> (a turn of a session above the call's
    /// hand-off session) resumes the hand-off below it with the answer, down to the session that made the call, and hands
    /// the resumed hand-off's answer to its agent as the result of its <c>ask_agent</c> call. Null: a call inside waits again.
    /// </summary>
    public async Task<IReadOnlyList<LettaInput>?> ResumeAsync(TurnState turn, ApprovalInput approval, CancellationToken cancellationToken)
    {
        // The answer is acted on now, before this agent hears of it: the turn starts so the hand-off's events can follow.
        await recorder.StartAsync(turn, cancellationToken);

        var child = await ChildOnPathAsync(turn.Session, approval.Pending.HandOffSessionId!.Value, cancellationToken)
            ?? throw new InvalidOperationException("The hand-off that waits for this approval is gone.");
        var askId = child.HandOffToolCallId!;
        var frame = new HandOffFrame(child.HandOffChainId!.Value, child.HandOffDepth, askId, turn, turn.Root, approval.Pending.CallsThisTurn);
        await events.EmitAsync(turn, ChatEventTypes.HandOffStarted,
            new HandOffStartedData(askId, frame.ChainId, frame.Depth, child.Id, child.AgentId, child.TemplateId, RequestOf(child.HandOffArguments) ?? "", Resumed: true));
        var outcome = await RunAsync(child, approval, frame, cancellationToken);
        var result = await FinishAsync(turn, child, frame, outcome);
        if (result.AwaitingApproval)
        {
            turn.Status = TurnStatus.AwaitingApproval;
            return null;
        }

        turn.AddToolMessage(askId, HandOffTool.Name, child.HandOffArguments ?? "{}").Complete(result.Status, result.Result);
        turn.ReportedResults.Add(askId);
        await events.EmitAsync(turn, ChatEventTypes.ToolResult, new ToolResultData(askId, result.Status, result.Result));
        return [LettaInput.ToolResult(askId, result.Result, result.Status == ToolCallStatus.Success)];
    }

    /// <summary>The hand-off session right below <paramref name="session"/> on the way down to <paramref name="leafId"/>.</summary>
    private async Task<ChatSession?> ChildOnPathAsync(ChatSession session, Guid leafId, CancellationToken cancellationToken)
    {
        var current = await db.Sessions.FirstOrDefaultAsync(s => s.Id == leafId && s.UserId == session.UserId, cancellationToken);
        for (var hops = 0; current is not null && hops < 32; hops++)
        {
            if (current.ParentSessionId == session.Id)
            {
                return current;
            }

            var parentId = current.ParentSessionId;
            current = parentId is null ? null : await db.Sessions.FirstOrDefaultAsync(s => s.Id == parentId && s.UserId == session.UserId, cancellationToken);
        }

        return null;
    }

    private async Task<HandOffTurn> RunAsync(ChatSession child, TurnInput input, HandOffFrame frame, CancellationToken cancellationToken)
    {
        // TurnRunner runs this class's hand-offs, and this class runs TurnRunner's: the runner comes from the same scope.
        var runner = services.GetRequiredService<TurnRunner>();
        try
        {
            var outcome = await runner.RunHandOffAsync(child, input, frame, cancellationToken);
            return new HandOffTurn(outcome.Status, outcome.Answer, outcome.ToolCalls, outcome.ErrorCode);
        }
        catch (ApiProblemException problem)
        {
            // Refused before the other agent's Letta accepted it (Letta unavailable, busy…): nothing was stored for it.
            return new HandOffTurn(TurnStatus.Failed, null, frame.CallsSoFar, problem.Code, problem.Message);
        }
    }

    private async Task<HandOffResult> FinishAsync(TurnState turn, ChatSession child, HandOffFrame frame, HandOffTurn outcome)
    {
        turn.ToolCalls = outcome.ToolCalls;
        await events.EmitAsync(turn, ChatEventTypes.HandOffFinished,
            new HandOffFinishedData(frame.ParentToolCallId, frame.ChainId, frame.Depth, child.Id, outcome.Status, outcome.Answer));
        return outcome.Status switch
        {
            TurnStatus.AwaitingApproval => new HandOffResult(true, ToolCallStatus.Success, ""),
            TurnStatus.Completed => new HandOffResult(false, ToolCallStatus.Success, new JsonObject
            {
                ["status"] = ToolCallStatus.Success,
                ["data"] = new JsonObject
                {
                    ["agent"] = child.TemplateId,
                    ["session_id"] = child.Id.ToString(),
                    ["answer"] = new JsonObject { ["untrusted_text"] = outcome.Answer ?? "" },
                },
            }.ToJsonString()),
            _ => Failure("handoff_failed",
                $"The {child.TemplateId} did not finish ({outcome.Status}{(outcome.ErrorCode is null ? "" : $": {outcome.ErrorCode}")}). "
                + (outcome.Detail ?? "Tell the user; they can open its conversation to see how far it got.")),
        };
    }

    private static HandOffResult Failure(string code, string message) => new(false, ToolCallStatus.Error,
        new JsonObject { ["status"] = ToolCallStatus.Error, ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString());

    /// <summary>What an <c>ask_agent</c> call asks (its <c>request</c> argument); null when its arguments do not say.</summary>
    public static string? RequestOf(string? arguments)
    {
        try
        {
            return arguments is null ? null : JsonNode.Parse(arguments)?["request"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Title(string askingTemplate, string request)
    {
        var line = request.ReplaceLineEndings(" ").Trim();
        line = line.Length > MaxTitleRequestLength ? line[..MaxTitleRequestLength] + "…" : line;
        return StorableText.Sanitize($"Asked by {askingTemplate}: {line}");
    }

    private sealed record HandOffTurn(string Status, string? Answer, int ToolCalls, string? ErrorCode, string? Detail = null);

    [LoggerMessage(LogLevel.Information, "Hand-off {ChainId}: session {SessionId} asked another agent in session {ChildSessionId} (depth {Depth})")]
    private partial void LogHandOff(Guid chainId, Guid sessionId, Guid childSessionId, int depth);
}
