using System.Diagnostics;
using System.Text;
using LettaPlatform.Chat.Api.Agents;
using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.Chat.Api.Tools;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.Chat;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LettaPlatform.Chat.Api.Turns;

public abstract record TurnInput;

public sealed record UserMessageInput(string Content) : TurnInput;

/// <summary>The answer to a pending tool call, by the person (<see cref="DecidedBy"/> = user id) or by the stale-approval worker.</summary>
public sealed record ApprovalInput(PendingToolCall Pending, bool Approve, string? Reason, string DecidedBy, bool Expired = false) : TurnInput;

public sealed record TurnOutcome(Guid TurnId, string Status, string? StopReason);

/// <summary>
/// Runs one turn against Letta: relays Letta's events as platform events the moment they arrive,
/// runs client-tool calls through tool-execution (or parks them for approval), stores the history and
/// publishes <c>ChatTurnCompleted</c>. The caller holds the session's <see cref="TurnLock"/>.
/// Failures before Letta accepted the turn are thrown as <see cref="ApiProblemException"/> (the caller
/// answers with a problem); after that, they become an <c>error</c> event and <c>done: failed</c>.
/// </summary>
public sealed partial class TurnRunner(
    ChatDbContext db,
    AgentResolver agents,
    ILettaClientFactory lettaClients,
    IToolCatalog catalog,
    ToolExecutor toolExecutor,
    TurnEventStore eventStore,
    ChatMetrics metrics,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ILogger<TurnRunner> logger)
{
    // Letta's own memory tools: their calls are reported in ChatTurnCompleted so memory-sync can attribute the edits.
    private static readonly HashSet<string> MemoryTools =
        ["memory_insert", "memory_replace", "memory_rethink", "memory", "core_memory_append", "core_memory_replace"];

    private static readonly HashSet<string> FailedStopReasons =
        ["error", "llm_api_error", "invalid_llm_response", "invalid_tool_call", "cancelled", "insufficient_credits", "max_tokens_exceeded", "context_window_overflow_in_system_prompt"];

    public async Task<TurnOutcome> RunAsync(ChatSession session, TurnInput input, ITurnSink sink, bool streamTokens, CancellationToken cancellationToken)
    {
        try
        {
            return await RunOnceAsync(session, input, sink, streamTokens, lettaAgentMissing: false, cancellationToken);
        }
        catch (LettaTargetMissingException)
        {
            // Letta lost the agent or this session's conversation before the turn began: agent-management
            // re-provisions the agent when it is gone, and the session continues in a new conversation.
            session.LettaConversationId = null;
            return await RunOnceAsync(session, input, sink, streamTokens, lettaAgentMissing: true, cancellationToken);
        }
    }

    private async Task<TurnOutcome> RunOnceAsync(ChatSession session, TurnInput input, ITurnSink sink, bool streamTokens, bool lettaAgentMissing, CancellationToken cancellationToken)
    {
        var turn = new TurnState(session, input, sink, Stopwatch.GetTimestamp()) { Retried = lettaAgentMissing };
        var agent = lettaAgentMissing
            ? await agents.ResolveMissingAsync(session.UserId, session.AgentId, cancellationToken)
            : await agents.ResolveAsync(session.UserId, session.AgentId, cancellationToken);
        var letta = CreateClient(agent);
        var conversationId = await EnsureConversationAsync(turn, agent, letta, cancellationToken);
        var clientTools = await GetClientToolsAsync(agent, cancellationToken);
        try
        {
            await eventStore.ResetAsync(session.Id);
        }
        catch (RedisException ex)
        {
            // Nothing is saved yet, so the caller may simply send again.
            throw ApiProblems.TurnEventsUnavailable.Exception("The turn's event buffer cannot be reached right now; nothing was sent to the agent. Try again shortly.", TimeSpan.FromSeconds(5), ex);
        }

        var next = await PrepareInputAsync(turn, agent, cancellationToken);
        try
        {
            while (next is not null)
            {
                var request = new LettaMessageRequest { Messages = next, ClientTools = clientTools };
                var stream = letta.StreamConversationMessageAsync(conversationId, request, new LettaStreamOptions { StreamTokens = streamTokens }, cancellationToken);
                var approvals = await RelayAsync(turn, stream, cancellationToken);
                next = turn.Status == TurnStatus.Failed || turn.StopReason != "requires_approval" || approvals.Count == 0
                    ? null
                    : await HandleToolCallsAsync(turn, agent, approvals, cancellationToken);
            }
        }
        catch (Exception ex) when (turn.Started && ex is not OperationCanceledException)
        {
            LogTurnFailed(ex, session.Id);
            await EmitErrorAsync(turn, ex is LettaException ? ApiProblems.LettaError.Code : "turn_failed", "The turn failed", ex is LettaException le ? le.Detail ?? le.Message : "The turn failed unexpectedly.", 502);
        }

        if (turn.Status == TurnStatus.Running)
        {
            turn.Status = turn.StopReason is { } reason && FailedStopReasons.Contains(reason) ? TurnStatus.Failed : TurnStatus.Completed;
        }

        await FinishAsync(turn, agent);
        return new TurnOutcome(turn.Id, turn.Status, turn.StopReason);
    }

    private ILettaClient CreateClient(AgentResolved agent)
    {
        try
        {
            return lettaClients.CreateClient(agent.LettaInstance);
        }
        catch (ArgumentException ex)
        {
            throw ApiProblems.LettaUnavailable.Exception(
                $"The agent lives on Letta instance '{agent.LettaInstance}', which this service is not configured for.", TimeSpan.FromSeconds(options.Value.LettaRetryAfterSeconds), ex);
        }
    }

    /// <summary>
    /// A session maps to its own Letta conversation, not to the agent's main thread: a user may keep
    /// several sessions with one agent, and each needs its own history (and its own busy state in
    /// Letta) while the agent's memory blocks stay shared, which is what conversations give (docs/letta-notes.md §7).
    /// It is created on the first turn, so a session can be created while Letta is unreachable.
    /// </summary>
    private async Task<string> EnsureConversationAsync(TurnState turn, AgentResolved agent, ILettaClient letta, CancellationToken cancellationToken)
    {
        var session = turn.Session;
        if (session.LettaConversationId is { } existing && session.LettaAgentId == agent.LettaAgentId && session.LettaInstance == agent.LettaInstance)
        {
            return existing;
        }

        Conversation conversation;
        try
        {
            conversation = await letta.CreateConversationAsync(agent.LettaAgentId, new CreateConversationRequest { Summary = session.Title }, cancellationToken);
        }
        catch (LettaException ex)
        {
            throw MapLettaFailure(ex, turn);
        }

        session.LettaConversationId = conversation.Id;
        session.LettaAgentId = agent.LettaAgentId;
        session.LettaInstance = agent.LettaInstance;
        await db.SaveChangesAsync(cancellationToken);
        return conversation.Id;
    }

    private async Task<IReadOnlyList<LettaClientTool>> GetClientToolsAsync(AgentResolved agent, CancellationToken cancellationToken)
    {
        try
        {
            return await catalog.GetClientToolsAsync([.. agent.Tools.Select(t => t.Name)], cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Without the catalog the agent can still talk; it just cannot use the platform's tools this turn.
            LogCatalogUnavailable(ex);
            return [];
        }
    }

    private async Task<IReadOnlyList<LettaInput>> PrepareInputAsync(TurnState turn, AgentResolved agent, CancellationToken cancellationToken)
    {
        switch (turn.Input)
        {
            case UserMessageInput user:
                return [LettaInput.User(user.Content)];

            case ApprovalInput { Approve: true } approval:
            {
                var pending = approval.Pending;
                turn.ToolCalls = pending.CallsThisTurn + 1;
                var result = await toolExecutor.ExecuteAsync(ToolCall(turn, agent, pending.ToolCallId, pending.ToolName, pending.ArgumentsJson, pending.CallsThisTurn, approval.DecidedBy), cancellationToken);
                turn.ReportedResults.Add(pending.ToolCallId);
                turn.Preamble.Add((ChatEventTypes.ToolResult, ChatEvent.Create(ChatEventTypes.ToolResult, new ToolResultData(pending.ToolCallId, result.Status, result.Result))));
                turn.AddToolMessage(pending.ToolCallId, pending.ToolName, pending.ArgumentsJson).Complete(result.Status, result.Result);
                return [LettaInput.ToolResult(pending.ToolCallId, result.Result, result.Status == ToolCallStatus.Success)];
            }

            case ApprovalInput denial:
            {
                var pending = denial.Pending;
                turn.ToolCalls = pending.CallsThisTurn;
                var reason = denial.Reason is { Length: > 0 } given ? given : "The user denied this tool call.";
                AuditRefusal(turn, agent.AgentId, pending.ToolCallId, pending.ToolName, pending.ArgumentsJson,
                    denial.Expired ? ToolCallRefusals.ApprovalExpired : ToolCallRefusals.DeniedByUser, reason, denial.DecidedBy);
                turn.ReportedResults.Add(pending.ToolCallId);
                turn.Preamble.Add((ChatEventTypes.ToolResult, ChatEvent.Create(ChatEventTypes.ToolResult, new ToolResultData(pending.ToolCallId, ToolCallStatus.Denied, reason))));
                turn.AddToolMessage(pending.ToolCallId, pending.ToolName, pending.ArgumentsJson).Complete(ToolCallStatus.Denied, reason);
                return [LettaInput.Deny(pending.ToolCallId, reason)];
            }

            default:
                throw new InvalidOperationException($"Unknown turn input {turn.Input.GetType().Name}.");
        }
    }

    /// <summary>Relays one Letta stream; returns the approval requests it ended with (client-tool calls).</summary>
    private async Task<IReadOnlyList<LettaToolCall>> RelayAsync(TurnState turn, IAsyncEnumerable<LettaStreamEvent> stream, CancellationToken cancellationToken)
    {
        var approvals = new LettaMessageAssembler();
        var toolCalls = new LettaMessageAssembler();
        string? openToolCallKey = null;
        turn.StopReason = null;

        await using var events = stream.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool hasNext;
            try
            {
                hasNext = await events.MoveNextAsync();
            }
            catch (LettaException ex) when (!turn.Started)
            {
                throw MapLettaFailure(ex, turn);
            }
            catch (LettaException ex)
            {
                LogLettaStreamFailed(ex, turn.Session.Id);
                await FlushToolCallAsync(turn, toolCalls, openToolCallKey);
                await EmitErrorAsync(turn, ApiProblems.LettaError.Code, "The agent runtime failed", ex.Detail ?? ex.Message, 502);
                return [];
            }

            if (!hasNext)
            {
                break;
            }

            await StartAsync(turn, cancellationToken);
            var current = events.Current;

            // Token-streamed tool-call arguments arrive in pieces; a call is relayed once it is whole.
            var key = current is LettaMessageEvent { Message: ToolCallMessage toolCallChunk } ? Key(toolCallChunk) : null;
            if (openToolCallKey is not null && key != openToolCallKey)
            {
                await FlushToolCallAsync(turn, toolCalls, openToolCallKey);
                openToolCallKey = null;
            }

            switch (current)
            {
                case LettaMessageEvent { Message: ReasoningMessage reasoning } when !string.IsNullOrEmpty(reasoning.Reasoning):
                    turn.RunId(reasoning.RunId);
                    await EmitAsync(turn, ChatEventTypes.Reasoning, new ReasoningData(reasoning.Reasoning));
                    break;
                case LettaMessageEvent { Message: AssistantMessage assistant }:
                    turn.RunId(assistant.RunId);
                    var text = assistant.Content?.Text ?? "";
                    turn.AppendAssistant(Key(assistant), text);
                    await EmitAsync(turn, ChatEventTypes.Assistant, new AssistantData(text));
                    break;
                case LettaMessageEvent { Message: ToolCallMessage call }:
                    turn.RunId(call.RunId);
                    toolCalls.Add(call);
                    openToolCallKey = key;
                    break;
                case LettaMessageEvent { Message: ToolReturnMessage toolReturn }:
                    turn.RunId(toolReturn.RunId);
                    // Letta echoes the results this service handed it; each result is relayed once.
                    foreach (var result in toolReturn.Returns.Where(r => turn.ReportedResults.Add(r.ToolCallId ?? "")))
                    {
                        var status = result.Status ?? "success";
                        var output = result.ToolReturn ?? "";
                        turn.ToolMessage(result.ToolCallId)?.Complete(status, output);
                        await EmitAsync(turn, ChatEventTypes.ToolResult, new ToolResultData(result.ToolCallId ?? "", status, output));
                    }
                    break;
                case LettaMessageEvent { Message: ApprovalRequestMessage request }:
                    turn.RunId(request.RunId);
                    approvals.Add(request);
                    break;
                case LettaPingEvent:
                    await turn.Sink.KeepAliveAsync();
                    break;
                case LettaStopReasonEvent stop:
                    turn.StopReason = stop.StopReason;
                    break;
                case LettaUsageEvent usage:
                    turn.AddUsage(usage.Usage);
                    break;
                case LettaErrorEvent error:
                    await EmitErrorAsync(turn, error.ErrorType ?? ApiProblems.LettaError.Code, "The agent runtime reported an error", error.Message ?? error.Detail ?? "Letta reported an error.", 502);
                    break;
                case LettaDoneEvent:
                    break;
            }
        }

        await FlushToolCallAsync(turn, toolCalls, openToolCallKey);
        return [.. approvals.Messages.OfType<ApprovalRequestMessage>().SelectMany(m => m.Calls)];
    }

    /// <summary>
    /// Client-tool calls Letta paused on: each is executed by tool-execution, or parked for the person's
    /// approval (which ends the turn). Returns what to send Letta next, or null when the turn waits for approval.
    /// </summary>
    private async Task<IReadOnlyList<LettaInput>?> HandleToolCallsAsync(TurnState turn, AgentResolved agent, IReadOnlyList<LettaToolCall> calls, CancellationToken cancellationToken)
    {
        var answers = new List<LettaApprovalItem>();
        foreach (var call in calls)
        {
            var id = call.ToolCallId ?? "";
            var name = call.Name ?? "";
            var arguments = string.IsNullOrWhiteSpace(call.Arguments) ? "{}" : call.Arguments;
            await EmitAsync(turn, ChatEventTypes.ToolCall, new ToolCallData(id, name, arguments));
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
                message.Complete(ToolCallStatus.Denied, refusal);
                turn.ReportedResults.Add(id);
                await EmitAsync(turn, ChatEventTypes.ToolResult, new ToolResultData(id, ToolCallStatus.Denied, refusal));
                answers.Add(new LettaApprovalDecision { ToolCallId = id, Approve = false, Reason = refusal });
                continue;
            }

            if (policy!.RequiresApproval)
            {
                db.PendingToolCalls.Add(new PendingToolCall
                {
                    Id = Guid.CreateVersion7(),
                    SessionId = turn.Session.Id,
                    UserId = turn.Session.UserId,
                    TurnId = turn.Id,
                    ToolCallId = StorableText.Sanitize(id),
                    ToolName = StorableText.Sanitize(name),
                    ArgumentsJson = StorableText.SanitizeJson(arguments),
                    CallsThisTurn = turn.ToolCalls,
                    Status = ApprovalStatus.Pending,
                    CreatedAt = time.GetUtcNow(),
                });
                // The call enters the history with its outcome, in the turn that answers it.
                turn.History.Remove(message);
                turn.ToolMessages.Remove(message);
                await EmitAsync(turn, ChatEventTypes.ApprovalRequired, new ApprovalRequiredData(id, name, arguments, $"'{name}' acts on your behalf and needs your approval."));
                turn.Status = TurnStatus.AwaitingApproval;
                return null;
            }

            var result = await toolExecutor.ExecuteAsync(ToolCall(turn, agent, id, name, arguments, turn.ToolCalls, approvedBy: null), cancellationToken);
            turn.ToolCalls++;
            message.Complete(result.Status, result.Result);
            turn.ReportedResults.Add(id);
            await EmitAsync(turn, ChatEventTypes.ToolResult, new ToolResultData(id, result.Status, result.Result));
            answers.Add(new LettaToolResult { ToolCallId = id, ToolReturn = result.Result, Status = result.Status == ToolCallStatus.Success ? "success" : "error" });
        }

        return [new LettaApprovalInput { Approvals = answers }];
    }

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
    };

    /// <summary>Letta accepted the turn: store what started it, open the caller's stream, relay what came before.</summary>
    private async Task StartAsync(TurnState turn, CancellationToken cancellationToken)
    {
        if (turn.Started)
        {
            return;
        }

        turn.Started = true;
        metrics.FirstEvent(Stopwatch.GetElapsedTime(turn.StartedTimestamp));
        var now = time.GetUtcNow();
        db.Turns.Add(new ChatTurn { Id = turn.Id, SessionId = turn.Session.Id, UserId = turn.Session.UserId, Status = TurnStatus.Running, StartedAt = now });
        switch (turn.Input)
        {
            case UserMessageInput user:
                db.Messages.Add(new ChatMessage { Id = Guid.CreateVersion7(), SessionId = turn.Session.Id, TurnId = turn.Id, Role = MessageRoles.User, Content = user.Content, CreatedAt = now });
                break;
            case ApprovalInput approval:
                approval.Pending.Status = approval.Expired ? ApprovalStatus.Expired : approval.Approve ? ApprovalStatus.Approved : ApprovalStatus.Denied;
                approval.Pending.ResolvedBy = approval.DecidedBy;
                approval.Pending.Reason = approval.Reason;
                approval.Pending.ResolvedAt = now;
                break;
        }

        turn.Session.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await turn.Sink.StartAsync();
        foreach (var (type, data) in turn.Preamble)
        {
            await EmitAsync(turn, type, data);
        }
    }

    private async Task FlushToolCallAsync(TurnState turn, LettaMessageAssembler toolCalls, string? key)
    {
        if (key is null)
        {
            return;
        }

        var message = toolCalls.Messages.OfType<ToolCallMessage>().LastOrDefault(m => Key(m) == key);
        foreach (var call in message?.Calls ?? [])
        {
            var id = call.ToolCallId ?? "";
            var name = call.Name ?? "";
            var arguments = call.Arguments ?? "{}";
            turn.AddToolMessage(id, name, arguments);
            if (MemoryTools.Contains(name))
            {
                turn.MemoryToolCallIds.Add(id);
            }

            await EmitAsync(turn, ChatEventTypes.ToolCall, new ToolCallData(id, name, arguments));
        }
    }

    private async Task FinishAsync(TurnState turn, AgentResolved agent)
    {
        var now = time.GetUtcNow();
        if (turn.Started)
        {
            try
            {
                await PersistAsync(turn, agent, now);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogPersistFailed(ex, turn.Session.Id);
                turn.Status = TurnStatus.Failed;
                await EmitErrorAsync(turn, "history_not_saved", "The turn could not be saved", "The answer was given but could not be stored in the history.", 500);
            }
        }

        await EmitAsync(turn, ChatEventTypes.Usage, new UsageData(turn.PromptTokens, turn.CompletionTokens, turn.PromptTokens + turn.CompletionTokens, turn.Steps));
        await EmitAsync(turn, ChatEventTypes.Done, new DoneData(turn.Status, turn.StopReason));
        metrics.TurnEnded(turn.Status, Stopwatch.GetElapsedTime(turn.StartedTimestamp), turn.ToolCalls, turn.PromptTokens, turn.CompletionTokens);
    }

    private async Task PersistAsync(TurnState turn, AgentResolved agent, DateTimeOffset now)
    {
        var row = await db.Turns.FindAsync(turn.Id) ?? throw new InvalidOperationException("The turn row is missing.");
        row.Status = turn.Status;
        row.StopReason = turn.StopReason;
        row.PromptTokens = turn.PromptTokens;
        row.CompletionTokens = turn.CompletionTokens;
        row.TotalTokens = turn.PromptTokens + turn.CompletionTokens;
        row.Steps = turn.Steps;
        row.ToolCalls = turn.ToolCalls;
        row.RunIds = [.. turn.RunIds];
        row.CompletedAt = now;

        foreach (var item in turn.History)
        {
            db.Messages.Add(item.ToMessage(turn.Session.Id, turn.Id, now));
        }

        turn.Session.UpdatedAt = now;
        db.Outbox().Publish(new ChatTurnCompleted
        {
            TurnId = turn.Id,
            SessionId = turn.Session.Id,
            UserId = turn.Session.UserId,
            AgentId = agent.AgentId,
            LettaInstance = agent.LettaInstance,
            LettaAgentId = agent.LettaAgentId,
            RunIds = [.. turn.RunIds],
            Outcome = turn.Status,
            StopReason = turn.StopReason,
            PromptTokens = turn.PromptTokens,
            CompletionTokens = turn.CompletionTokens,
            Steps = turn.Steps,
            MemoryToolCallIds = [.. turn.MemoryToolCallIds],
            CompletedAt = now,
        });

        // The turn is over even if the caller went away: its record must not be lost with the request.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private Task EmitAsync(TurnState turn, string type, object payload) => EmitAsync(turn, type, ChatEvent.Create(type, payload));

    /// <summary>
    /// Buffers the event for resuming clients, then hands it to this turn's caller. The buffer is a
    /// convenience: once it fails (Redis lost) the turn goes on without it, so the answer of a turn
    /// whose outcome is saved is never turned into an error; only resuming on /stream degrades.
    /// </summary>
    private async Task EmitAsync(TurnState turn, string type, System.Text.Json.Nodes.JsonObject data)
    {
        ChatEvent? chatEvent = null;
        if (!turn.BufferLost)
        {
            try
            {
                chatEvent = await eventStore.AppendAsync(turn.Session.Id, type, data);
            }
            catch (RedisException ex)
            {
                turn.BufferLost = true;
                LogBufferLost(ex, turn.Session.Id);
            }
        }

        chatEvent ??= new ChatEvent(TurnEventStore.LocalId(++turn.LocalEvents), type, data);
        await turn.Sink.WriteAsync(chatEvent);
    }

    private Task EmitErrorAsync(TurnState turn, string code, string title, string detail, int status)
    {
        turn.Status = TurnStatus.Failed;
        return EmitAsync(turn, ChatEventTypes.Error, new ErrorData(code, ApiProblem.TypeOf(code), title, status, detail));
    }

    private Exception MapLettaFailure(LettaException ex, TurnState turn) => ex switch
    {
        LettaNotFoundException when !turn.Retried => new LettaTargetMissingException(ex),
        LettaUnavailableException or LettaRateLimitedException => ApiProblems.LettaUnavailable.Exception(
            "Letta cannot be reached right now; your history is still available. Try again shortly.", TimeSpan.FromSeconds(options.Value.LettaRetryAfterSeconds), ex),
        LettaPendingApprovalException => ApiProblems.ApprovalPending.Exception("The agent waits for an answer to an earlier tool call in this conversation.", inner: ex),
        LettaConflictException => ApiProblems.LettaBusy.Exception(
            "The agent is still working on an earlier message; try again in a moment.", TimeSpan.FromSeconds(2), ex),
        _ => ApiProblems.LettaError.Exception(ex.Detail ?? ex.Message, inner: ex),
    };

    private static string Key(LettaMessage message) => $"{message.MessageType}:{message.Otid ?? message.Id}";

    [LoggerMessage(LogLevel.Warning, "The event buffer of session {SessionId} failed; the turn continues without it (resuming on /stream is unavailable)")]
    private partial void LogBufferLost(Exception exception, Guid sessionId);

    [LoggerMessage(LogLevel.Warning, "A turn of session {SessionId} failed")]
    private partial void LogTurnFailed(Exception exception, Guid sessionId);

    [LoggerMessage(LogLevel.Warning, "The Letta stream of session {SessionId} failed mid-turn")]
    private partial void LogLettaStreamFailed(Exception exception, Guid sessionId);

    [LoggerMessage(LogLevel.Error, "The turn of session {SessionId} could not be stored")]
    private partial void LogPersistFailed(Exception exception, Guid sessionId);

    [LoggerMessage(LogLevel.Warning, "The tool catalog is unavailable; the turn runs without client tools")]
    private partial void LogCatalogUnavailable(Exception exception);

    private sealed class LettaTargetMissingException(Exception inner) : Exception("Letta does not know the agent or conversation.", inner);

    /// <summary>What one turn has gathered so far.</summary>
    private sealed class TurnState(ChatSession session, TurnInput input, ITurnSink sink, long startedTimestamp)
    {
        public Guid Id { get; } = Guid.CreateVersion7();
        public ChatSession Session { get; } = session;
        public TurnInput Input { get; } = input;
        public ITurnSink Sink { get; } = sink;
        public long StartedTimestamp { get; } = startedTimestamp;
        public bool Started { get; set; }

        /// <summary>This attempt follows one that found the Letta agent or conversation gone.</summary>
        public bool Retried { get; init; }
        public bool BufferLost { get; set; }
        public int LocalEvents { get; set; }
        public string Status { get; set; } = TurnStatus.Running;
        public string? StopReason { get; set; }
        public int ToolCalls { get; set; }
        public int PromptTokens { get; private set; }
        public int CompletionTokens { get; private set; }
        public int Steps { get; private set; }
        public List<string> RunIds { get; } = [];
        public List<string> MemoryToolCallIds { get; } = [];
        public HashSet<string> ReportedResults { get; } = [];
        public List<(string Type, System.Text.Json.Nodes.JsonObject Data)> Preamble { get; } = [];

        /// <summary>Assistant and tool messages in the order they happened.</summary>
        public List<HistoryItem> History { get; } = [];
        public List<HistoryItem> ToolMessages { get; } = [];
        private readonly Dictionary<string, HistoryItem> _assistant = [];

        public void RunId(string? runId)
        {
            if (runId is not null && !RunIds.Contains(runId))
            {
                RunIds.Add(runId);
            }
        }

        public void AddUsage(LettaUsage usage)
        {
            PromptTokens += usage.PromptTokens;
            CompletionTokens += usage.CompletionTokens;
            Steps += usage.StepCount;
            foreach (var runId in usage.RunIds ?? [])
            {
                RunId(runId);
            }
        }

        public void AppendAssistant(string key, string text)
        {
            if (!_assistant.TryGetValue(key, out var item))
            {
                item = new HistoryItem(MessageRoles.Assistant, null, null, null);
                _assistant[key] = item;
                History.Add(item);
            }

            item.Content.Append(text);
        }

        public HistoryItem AddToolMessage(string toolCallId, string name, string arguments)
        {
            if (ToolMessage(toolCallId) is { } existing)
            {
                return existing;
            }

            var item = new HistoryItem(MessageRoles.Tool, toolCallId, name, arguments);
            History.Add(item);
            ToolMessages.Add(item);
            return item;
        }

        public HistoryItem? ToolMessage(string? toolCallId) =>
            toolCallId is null ? null : ToolMessages.FirstOrDefault(m => m.ToolCallId == toolCallId);
    }

    private sealed class HistoryItem(string role, string? toolCallId, string? toolName, string? toolArguments)
    {
        public StringBuilder Content { get; } = new();
        public string? ToolCallId { get; } = toolCallId;
        public string? ToolStatus { get; private set; }

        public void Complete(string status, string result)
        {
            ToolStatus = status;
            Content.Clear().Append(result);
        }

        public ChatMessage ToMessage(Guid sessionId, Guid turnId, DateTimeOffset now) => new()
        {
            Id = Guid.CreateVersion7(),
            SessionId = sessionId,
            TurnId = turnId,
            Role = role,
            // Text from the agent is stored as it came, except what PostgreSQL cannot hold (NUL, unpaired surrogates).
            Content = StorableText.Sanitize(Content.ToString()),
            ToolCallId = ToolCallId is null ? null : StorableText.Sanitize(ToolCallId),
            ToolName = toolName is null ? null : StorableText.Sanitize(toolName),
            ToolArguments = toolArguments is null ? null : StorableText.Sanitize(toolArguments),
            ToolStatus = ToolStatus,
            CreatedAt = now,
        };
    }
}
