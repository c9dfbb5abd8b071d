using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Debug;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>
/// The way into a turn: the session must be the caller's, no other turn may run on it (409 otherwise,
/// never Letta's own 409), and the input must fit the session's state (a message while an approval is
/// pending is refused; an approval needs its pending call).
/// </summary>
public sealed class TurnGate(ChatDbContext db, TurnLock turnLock, TurnCancellation cancellation, TurnRunner runner, ChatMetrics metrics, IHostApplicationLifetime lifetime, TimeProvider time)
{
    public Task<TurnOutcome> SendMessageAsync(string userId, Guid sessionId, string content, ITurnSink sink, bool streamTokens) =>
        RunAsync(userId, sessionId, admission => admission.PendingCall is { } pending
            ? throw ApiProblems.ApprovalPending.Exception($"The agent waits for your answer to tool call '{pending}'; approve or deny it first.")
            : Task.FromResult<TurnInput>(new UserMessageInput(content)), sink, streamTokens);

    public Task<TurnOutcome> AnswerApprovalAsync(string userId, Guid sessionId, string toolCallId, bool approve, string? reason, ITurnSink sink, bool streamTokens) =>
        RunAsync(userId, sessionId, async admission =>
        {
            var pending = await db.PendingToolCalls
                .FirstOrDefaultAsync(p => p.SessionId == admission.Session.Id && p.ToolCallId == toolCallId && p.Status == ApprovalStatus.Pending)
                ?? throw ApiProblems.PendingApprovalNotFound.Exception(
                    $"Tool call '{toolCallId}' is not waiting for approval in this session.");
            return new ApprovalInput(pending, approve, reason, userId);
        }, sink, streamTokens);

    /// <summary>Denies a stale approval on the person's behalf (the stale-approval worker); false when the session is busy.</summary>
    public async Task<bool> ExpireApprovalAsync(Guid pendingId, string reason)
    {
        var pending = await db.PendingToolCalls.FirstOrDefaultAsync(p => p.Id == pendingId);
        var session = pending is null ? null : await db.Sessions.FirstOrDefaultAsync(s => s.Id == pending.SessionId);
        if (pending is null || session is null)
        {
            return false;
        }

        await using var lease = await turnLock.TryAcquireAsync(session.Id, Guid.NewGuid());
        if (lease is null)
        {
            return false;
        }

        // Answered between the sweep and the lock: nothing to expire.
        await db.Entry(pending).ReloadAsync();
        if (pending.Status != ApprovalStatus.Pending)
        {
            return false;
        }

        await runner.RunAsync(session, new ApprovalInput(pending, Approve: false, reason, DecidedBy: "system", Expired: true), NullSink.Instance, streamTokens: false, lifetime.ApplicationStopping);
        return true;
    }

    private async Task<TurnOutcome> RunAsync(string userId, Guid sessionId, Func<Admission, Task<TurnInput>> input, ITurnSink sink, bool streamTokens)
    {
        try
        {
            var turnToken = Guid.NewGuid();

            // Listening for the person's cancel before the lock names this turn: no cancel of it can come too early.
            using var cancel = await cancellation.WatchAsync(sessionId, turnToken.ToString());
            TurnLease? acquired;
            try
            {
                acquired = await turnLock.TryAcquireAsync(sessionId, turnToken);
            }
            catch (Exception ex) when (ex.IsRedisFailure())
            {
                throw ApiProblems.TurnEventsUnavailable.Exception("The session's turn lock cannot be taken right now; nothing was sent to the agent. Try again shortly.", TimeSpan.FromSeconds(5), ex);
            }

            // The lock comes first so that one query, under it, reads all the turn needs to start: the session as
            // no other turn can change it now, whether a call waits for approval, and the session's debug switch.
            // Whose the session is decides before anything is answered: another person's session is a 404 even
            // while its own turn holds the lock, and a lock taken on it is released at once.
            await using var lease = acquired;
            var admission = await AdmitAsync(userId, sessionId)
                ?? throw ApiProblems.SessionNotFound.Exception("There is no such chat session.");
            if (admission.Session.ParentSessionId is not null)
            {
                throw ApiProblems.HandOffSession.Exception(
                    "This conversation is a hand-off between your agents; it runs inside the conversation that asked for it. Write, and answer its approvals, there.");
            }

            if (lease is null)
            {
                throw ApiProblems.TurnInProgress.Exception("This session is answering another message; wait for it to finish (or follow it on /stream) and send again.");
            }

            // The turn outlives the request: a client that disconnects reconnects to /stream and finds it finished.
            // Only the person's cancel (POST …/turns/cancel) or the service stopping ends it early.
            return await runner.RunAsync(admission.Session, await input(admission), sink, streamTokens, lifetime.ApplicationStopping, cancel.Token, new DebugSwitch(admission.DebugUntil));
        }
        catch (ApiProblemException problem)
        {
            metrics.TurnRejected(problem.Code);
            throw;
        }
    }

    private Task<Admission?> AdmitAsync(string userId, Guid sessionId)
    {
        var now = time.GetUtcNow();
        return db.Sessions
            .Where(s => s.Id == sessionId && s.UserId == userId)
            .Select(s => new Admission(
                s,
                db.PendingToolCalls.Where(p => p.SessionId == s.Id && p.Status == ApprovalStatus.Pending).Select(p => p.ToolCallId).FirstOrDefault(),
                db.DebugSwitches.Where(d => d.SessionId == s.Id && d.EnabledUntil > now).Select(d => (DateTimeOffset?)d.EnabledUntil).FirstOrDefault()))
            .FirstOrDefaultAsync();
    }

    /// <summary>What the gate read of a session, under its lock: the session (tracked), a call waiting for approval, the debug switch.</summary>
    private sealed record Admission(ChatSession Session, string? PendingCall, DateTimeOffset? DebugUntil);
}
