using System.Diagnostics;
using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.Chat;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>
/// A turn's record: its start once Letta accepts it, and at its end the history, the turn row,
/// <c>ChatTurnCompleted</c> (through the outbox, in the same save), the closing events and the metrics.
/// </summary>
public sealed partial class TurnRecorder(
    ChatDbContext db,
    TurnEventEmitter events,
    ChatMetrics metrics,
    PersonHasher persons,
    TimeProvider time,
    ILogger<TurnRecorder> logger)
{
    /// <summary>Letta accepted the turn: store what started it, open the caller's stream, relay what came before.</summary>
    public async Task StartAsync(TurnState turn, CancellationToken cancellationToken)
    {
        if (turn.Started)
        {
            return;
        }

        turn.Started = true;
        metrics.FirstEvent(Stopwatch.GetElapsedTime(turn.StartedTimestamp));
        LogTurnStarted(turn.Id, turn.Session.Id, turn.Input is UserMessageInput ? "message" : "approval");
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
            await events.EmitAsync(turn, type, data);
        }
    }

    /// <summary>Stores a started turn, then closes its stream with <c>usage</c> and <c>done</c>.</summary>
    public async Task FinishAsync(TurnState turn, AgentResolved agent)
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
                await events.EmitErrorAsync(turn, "history_not_saved", "The turn could not be saved", "The answer was given but could not be stored in the history.", 500);
            }
        }

        await events.EmitAsync(turn, ChatEventTypes.Usage, new UsageData(turn.PromptTokens, turn.CompletionTokens, turn.PromptTokens + turn.CompletionTokens, turn.Steps));
        await events.EmitAsync(turn, ChatEventTypes.Done, new DoneData(turn.Status, turn.StopReason));
        var scope = persons.Scope(agent, turn.Session.UserId);
        LogTurnFinished(turn.Id, turn.Session.Id, turn.Status, Stopwatch.GetElapsedTime(turn.StartedTimestamp).TotalMilliseconds, turn.PromptTokens + turn.CompletionTokens, turn.ToolCalls, turn.ErrorCode);
        metrics.TurnEnded(turn.Status, Stopwatch.GetElapsedTime(turn.StartedTimestamp), turn.ToolCalls, turn.PromptTokens, turn.CompletionTokens, scope);
        if (turn.ErrorCode is { } code)
        {
            metrics.TurnError(code, scope.Template);
        }
    }

    private async Task PersistAsync(TurnState turn, AgentResolved agent, DateTimeOffset now)
    {
        var row = await db.Turns.FindAsync(turn.Id) ?? throw new InvalidOperationException("The turn row is missing.");
        row.Status = turn.Status;
        row.StopReason = turn.StopReason;
        row.ErrorCode = turn.ErrorCode is { } code && code.Length > 100 ? code[..100] : turn.ErrorCode;
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
            StartedAt = row.StartedAt,
            CompletedAt = now,
        });

        // The turn is over even if the caller went away: its record must not be lost with the request.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Turn {TurnId} of session {SessionId} started ({Input})")]
    private partial void LogTurnStarted(Guid turnId, Guid sessionId, string input);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Turn {TurnId} of session {SessionId} finished {Status} in {DurationMs:0} ms: {Tokens} tokens, {ToolCalls} tool calls, error {ErrorCode}")]
    private partial void LogTurnFinished(Guid turnId, Guid sessionId, string status, double durationMs, int tokens, int toolCalls, string? errorCode);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "The turn of session {SessionId} could not be stored")]
    private partial void LogPersistFailed(Exception exception, Guid sessionId);
}
