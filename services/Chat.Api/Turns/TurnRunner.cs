using System.Diagnostics;
using LettaPlatform.Chat.Api.Agents;
using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Debug;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.Chat.Api.Tools;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LettaPlatform.Chat.Api.Turns;

public abstract record TurnInput;

public sealed record UserMessageInput(string Content) : TurnInput;

/// <summary>The answer to a pending tool call, by the person (<see cref="DecidedBy"/> = user id) or by the stale-approval worker.</summary>
public sealed record ApprovalInput(PendingToolCall Pending, bool Approve, string? Reason, string DecidedBy, bool Expired = false) : TurnInput;

public sealed record TurnOutcome(Guid TurnId, string Status, string? StopReason)
{
    /// <summary>The turn's last assistant message (what a hand-off answers).</summary>
    public string? Answer { get; init; }

    /// <summary>Tool calls made so far by the turn, or by its hand-off chain.</summary>
    public int ToolCalls { get; init; }

    public string? ErrorCode { get; init; }
}

/// <summary>
/// Runs one turn against Letta. The turn path, end to end:
/// <c>TurnsApi → TurnGate → TurnLock → TurnRunner → TurnEventStore → SseWriter</c>:
/// <see cref="TurnGate"/> admits the turn and takes the session's <see cref="TurnLock"/>; this class finds the
/// agent and its Letta conversation, then hands the work to its parts: <see cref="LettaEventRelay"/> turns
/// Letta's stream into platform events, <see cref="ToolCallRunner"/> runs, parks or refuses client-tool calls,
/// <see cref="TurnRecorder"/> stores the turn and publishes <c>ChatTurnCompleted</c>; every event goes through
/// <see cref="TurnEventEmitter"/> into the <see cref="TurnEventStore"/> and on to the caller's sink (<see cref="SseWriter"/>).
/// <para>
/// The one rule for failures: exceptions before the stream starts, <c>error</c> events after. Until Letta has
/// accepted the turn (<see cref="TurnState.Started"/>), a failure is thrown as an <see cref="ApiProblemException"/>
/// and the caller answers with a problem; nothing is stored and the caller may simply send again. After that,
/// it becomes an <c>error</c> event followed by <c>done: failed</c>, and the turn is stored as failed.
/// </para>
/// </summary>
public sealed partial class TurnRunner(
    ChatDbContext db,
    AgentResolver agents,
    ILettaClientFactory lettaClients,
    IToolCatalog catalog,
    TurnEventStore eventStore,
    TurnEventEmitter events,
    LettaEventRelay relay,
    ToolCallRunner toolCalls,
    HandOffRunner handOffs,
    TurnRecorder recorder,
    DebugRecorder debug,
    IOptions<ChatOptions> options,
    ILogger<TurnRunner> logger)
{
    private static readonly HashSet<string> FailedStopReasons =
        ["error", "llm_api_error", "invalid_llm_response", "invalid_tool_call", "insufficient_credits", "max_tokens_exceeded", "context_window_overflow_in_system_prompt"];

    // A hung Letta must not hold up the end of a cancelled turn for long.
    private static readonly TimeSpan LettaCancelTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs the turn until Letta stops, the service stops (<paramref name="stopping"/>) or the person cancels
    /// it (<paramref name="cancelled"/>). A cancelled turn that reached Letta is stopped there too, stored with
    /// what it produced so far and closed with <c>done</c> (status <c>cancelled</c>); one cancelled before
    /// that is answered with the problem <c>turn_cancelled</c>, and nothing is stored.
    /// </summary>
    public async Task<TurnOutcome> RunAsync(ChatSession session, TurnInput input, ITurnSink sink, bool streamTokens, CancellationToken stopping, CancellationToken cancelled = default, DebugSwitch? debugSwitch = null)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, cancelled);
        var cancellation = new TurnCancellationTokens(linked.Token, stopping, cancelled);
        // Not cancelled by the person's cancel: the turn's own handling below answers that (turn_cancelled).
        var capture = DebugCapture.Current = await debug.BeginAsync(db, session.Id, debugSwitch, stopping);
        capture?.Record("turn", "started", new { input = input is UserMessageInput ? "message" : "approval", streamTokens });
        if (capture is not null)
        {
            // The turn's trace on the dashboard names where its capture is read (each capture entry names the trace).
            Activity.Current?.SetTag(DebugCapture.TraceTag, $"/api/chat/admin/sessions/{session.Id}/debug");
        }

        TurnOutcome? outcome = null;
        try
        {
            try
            {
                return outcome = await RunOnceAsync(session, input, sink, streamTokens, lettaAgentMissing: false, cancellation);
            }
            catch (LettaTargetMissingException)
            {
                // Letta lost the agent or this session's conversation before the turn began: agent-management
                // re-provisions the agent when it is gone, and the session continues in a new conversation.
                session.LettaConversationId = null;
                capture?.Record("turn", "retried", new { reason = "letta_target_missing" });
                return outcome = await RunOnceAsync(session, input, sink, streamTokens, lettaAgentMissing: true, cancellation);
            }
        }
        finally
        {
            if (capture is not null)
            {
                capture.Record("turn", "finished", new { status = outcome?.Status ?? "refused", stopReason = outcome?.StopReason }, Stopwatch.GetElapsedTime(capture.StartedTimestamp));
                DebugCapture.Current = null;
                await debug.FlushAsync(capture);
            }
        }
    }

    /// <summary>
    /// Runs the turn of a hand-off's session inside the asking turn (<see cref="HandOffRunner"/>): its events go nested
    /// into the asking turn's stream, whole messages rather than token deltas. A refusal before Letta accepted it is
    /// thrown, as for any turn; the person's cancel of the top turn ends it through <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task<TurnOutcome> RunHandOffAsync(ChatSession session, TurnInput input, HandOffFrame frame, CancellationToken cancellationToken)
    {
        var capture = DebugCapture.Current;
        var capturedTurn = capture?.TurnId;
        var sink = new NestedSink(events, frame, session.Id);
        // The person's cancel of their own turn cancels this one as a cancel, not as the service stopping: it is stored
        // as cancelled (and Letta's run stopped), not left running.
        var cancellation = new TurnCancellationTokens(cancellationToken, frame.Root.Stopping, frame.Root.CancelledByPerson);
        try
        {
            try
            {
                return await RunOnceAsync(session, input, sink, streamTokens: false, lettaAgentMissing: false, cancellation, frame);
            }
            catch (LettaTargetMissingException)
            {
                session.LettaConversationId = null;
                return await RunOnceAsync(session, input, sink, streamTokens: false, lettaAgentMissing: true, cancellation, frame);
            }
        }
        finally
        {
            capture?.TurnId = capturedTurn;
        }
    }

    private async Task<TurnOutcome> RunOnceAsync(ChatSession session, TurnInput input, ITurnSink sink, bool streamTokens, bool lettaAgentMissing, TurnCancellationTokens cancellation, HandOffFrame? handOff = null)
    {
        var cancellationToken = cancellation.Any;
        var turn = new TurnState(session, input, sink, Stopwatch.GetTimestamp())
        {
            Retried = lettaAgentMissing,
            HandOff = handOff,
            ToolCalls = handOff?.CallsSoFar ?? 0,
            Stopping = cancellation.Stopping,
            CancelledByPerson = cancellation.Cancelled,
        };
        DebugCapture.Current?.TurnId = turn.Id;
        AgentResolved? agent = null;
        ILettaClient? letta = null;
        string? conversationId = null;
        var sentToLetta = false;
        try
        {
            agent = lettaAgentMissing
                ? await agents.ResolveMissingAsync(session.UserId, session.AgentId, cancellationToken)
                : await agents.ResolveAsync(session.UserId, session.AgentId, cancellationToken);
            agent = HandOffTool.WithHandOff(agent, options.Value.HandOffTemplatesOrDefault);
            letta = CreateClient(agent);
            conversationId = await EnsureConversationAsync(turn, agent, letta, cancellationToken);
            var clientTools = await GetClientToolsAsync(agent, cancellationToken);
            try
            {
                await eventStore.ResetAsync(session.Id);
            }
            catch (Exception ex) when (ex.IsRedisFailure())
            {
                // Nothing is saved yet, so the caller may simply send again.
                throw ApiProblems.TurnEventsUnavailable.Exception("The turn's event buffer cannot be reached right now; nothing was sent to the agent. Try again shortly.", TimeSpan.FromSeconds(5), ex);
            }

            IReadOnlyList<LettaInput>? next = input switch
            {
                UserMessageInput user => [LettaInput.User(user.Content)],

                // A call parked inside a hand-off below this session: the answer resumes the hand-off first.
                ApprovalInput { Pending.HandOffSessionId: { } below } approval when below != session.Id => await handOffs.ResumeAsync(turn, approval, cancellationToken),
                ApprovalInput approval => await toolCalls.AnswerAsync(turn, agent, approval, cancellationToken),
                _ => throw new InvalidOperationException($"Unknown turn input {input.GetType().Name}."),
            };
            try
            {
                while (next is not null)
                {
                    var request = new LettaMessageRequest { Messages = next, ClientTools = clientTools };
                    sentToLetta = true;
                    var stream = letta.StreamConversationMessageAsync(conversationId, request, new LettaStreamOptions { StreamTokens = streamTokens }, cancellationToken);
                    var approvals = await relay.RelayAsync(turn, stream, () => recorder.StartAsync(turn, cancellationToken), cancellationToken);
                    next = turn.Status == TurnStatus.Failed || turn.StopReason != "requires_approval" || approvals.Count == 0
                        ? null
                        : await toolCalls.RunAsync(turn, agent, approvals, cancellationToken);
                }
            }
            catch (LettaException ex) when (!turn.Started)
            {
                throw MapLettaFailure(ex, turn);
            }
            catch (Exception ex) when (turn.Started && ex is not OperationCanceledException && !cancellation.ByPerson)
            {
                LogTurnFailed(ex, session.Id);
                await events.EmitErrorAsync(turn, ex is LettaException ? ApiProblems.LettaError.Code : "turn_failed", "The turn failed", ex is LettaException le ? le.Detail ?? le.Message : "The turn failed unexpectedly.", 502);
            }
        }
        catch (Exception) when (cancellation.ByPerson)
        {
            await CancelledAsync(turn, agent, letta, conversationId, sentToLetta);
        }

        if (turn.Status == TurnStatus.Running)
        {
            turn.Status = turn.StopReason switch
            {
                "cancelled" => TurnStatus.Cancelled,
                { } reason when FailedStopReasons.Contains(reason) => TurnStatus.Failed,
                _ => TurnStatus.Completed,
            };
        }

        await recorder.FinishAsync(turn, agent!);
        return new TurnOutcome(turn.Id, turn.Status, turn.StopReason) { Answer = turn.Answer, ToolCalls = turn.ToolCalls, ErrorCode = turn.ErrorCode };
    }

    /// <summary>
    /// The person cancelled the turn. Once its input went to Letta, Letta is told to stop the run (it would
    /// otherwise go on and keep the conversation busy) and the turn is stored as cancelled, so the history
    /// holds what was said; before that, nothing happened that needs a record.
    /// </summary>
    private async Task CancelledAsync(TurnState turn, AgentResolved? agent, ILettaClient? letta, string? conversationId, bool sentToLetta)
    {
        if (!sentToLetta || agent is null || letta is null || conversationId is null)
        {
            throw ApiProblems.TurnCancelled.Exception("You cancelled the turn before the agent received it; nothing was saved in the chat.");
        }

        using (var timeout = new CancellationTokenSource(LettaCancelTimeout))
        {
            try
            {
                await letta.CancelConversationAsync(conversationId, timeout.Token);
            }
            catch (LettaConflictException)
            {
                // Nothing was running any more: the run had ended as the cancel came.
            }
            catch (Exception ex) when (ex is LettaException or OperationCanceledException)
            {
                LogLettaCancelFailed(ex, turn.Session.Id);
            }
        }

        if (turn.Status is TurnStatus.Running)
        {
            turn.Status = TurnStatus.Cancelled;
        }

        turn.StopReason = "cancelled";
        await recorder.StartAsync(turn, CancellationToken.None);
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

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "A turn of session {SessionId} failed")]
    private partial void LogTurnFailed(Exception exception, Guid sessionId);

    [LoggerMessage(LogLevel.Warning, "Letta could not be told to stop the cancelled turn of session {SessionId}; its run may go on")]
    private partial void LogLettaCancelFailed(Exception exception, Guid sessionId);

    [LoggerMessage(LogLevel.Warning, "The tool catalog is unavailable; the turn runs without client tools")]
    private partial void LogCatalogUnavailable(Exception exception);

    private sealed class LettaTargetMissingException(Exception inner) : Exception("Letta does not know the agent or conversation.", inner);

    /// <summary>What may end a turn early: <see cref="Any"/> fires for either; <see cref="ByPerson"/> tells the person's cancel from the service stopping.</summary>
    private readonly record struct TurnCancellationTokens(CancellationToken Any, CancellationToken Stopping, CancellationToken Cancelled)
    {
        public bool ByPerson => Cancelled.IsCancellationRequested && !Stopping.IsCancellationRequested;
    }
}
