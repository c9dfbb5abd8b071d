using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LettaPlatform.AgentManagement.Client;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Problems;
using LettaPlatform.ToolExecution.Api.Catalog;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.Model;
using LettaPlatform.ToolExecution.Api.Tools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LettaPlatform.ToolExecution.Api.Guard;

/// <summary>
/// Every tool call passes through here. Checks, in order: (1) the tool exists and the agent's template
/// may use it; (2) the arguments match the tool's schema; (3) the acting user may do this (own task,
/// allowed repository); (4) a call whose policy needs approval carries the user's approval;
/// (5) the per-turn cap and the per-user rate limit, and the call's start deadline; (6) idempotency on (user, tool_call_id): a call
/// that ran before answers with its stored result and never runs again; (7) the tool runs with a
/// timeout and its result is capped. Every decision is appended to the <see cref="AuditLedger"/>.
/// The checks and the run stay in one class: each ends in the same <see cref="Outcome"/>, recorded the
/// same way, and reading them top to bottom is reading the order in which they apply.
/// </summary>
public sealed partial class ToolExecutionGuard(
    ToolExecutionDbContext db,
    AgentDirectoryClient agents,
    RateLimiter rateLimiter,
    IEnumerable<IToolHandler> handlers,
    AuditLedger ledger,
    ToolExecutionMetrics metrics,
    IOptions<ToolExecutionOptions> options,
    TimeProvider timeProvider,
    ILogger<ToolExecutionGuard> logger)
{
    private static readonly TimeSpan ClaimPollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ClaimGrace = TimeSpan.FromSeconds(5);

    /// <summary>What a late call's run leaves, before the caller stops waiting, for its answer to get back.</summary>
    private static readonly TimeSpan AnswerWayBack = TimeSpan.FromSeconds(1);

    private readonly ToolExecutionOptions _options = options.Value;

    public async Task<ToolCallExecuted> ExecuteAsync(ExecuteToolCall call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = await DecideAndRunAsync(call, cancellationToken);
        var durationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        if (outcome.Decision == AuditDecisions.Denied)
        {
            metrics.Denied(call.ToolName, outcome.Reason ?? "unknown");
            LogDenied(call.ToolName, call.ToolCallId, outcome.Reason);
        }

        metrics.Answered(call.ToolName, outcome.Status, durationMs);
        LogDecided(call.ToolCallId, call.ToolName, outcome.Decision, outcome.Status, durationMs);
        return new ToolCallExecuted
        {
            ToolCallId = call.ToolCallId,
            ToolName = call.ToolName,
            Status = outcome.Status,
            Result = outcome.Result,
            DurationMs = outcome.Decision == AuditDecisions.Replayed ? outcome.StoredDurationMs : durationMs,
            Replayed = outcome.Decision == AuditDecisions.Replayed,
        };
    }

    private async Task<Outcome> DecideAndRunAsync(ExecuteToolCall call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var arrived = timeProvider.GetUtcNow();

        // Without a usable id the call could be neither deduplicated nor audited under its own name.
        if (string.IsNullOrWhiteSpace(call.ToolCallId) || call.ToolCallId.Length > AuditLedger.MaxToolCallIdLength)
        {
            return await DenyAsync(call, started, "invalid_tool_call_id",
                $"The call has no usable tool_call_id (1 to {AuditLedger.MaxToolCallIdLength} characters).");
        }

        // Text PostgreSQL cannot store (NUL, unpaired surrogates) would fault the audit write, so such a
        // call is refused here and recorded with those characters replaced.
        if (!StorableText.IsStorable(call.ToolCallId) || !StorableText.IsStorable(call.ToolName) || !StorableText.IsStorableJson(call.ArgumentsJson))
        {
            var recorded = call with
            {
                ToolCallId = StorableText.Sanitize(call.ToolCallId),
                ToolName = StorableText.Sanitize(call.ToolName),
                ArgumentsJson = StorableText.SanitizeJson(call.ArgumentsJson),
            };
            return await DenyAsync(recorded, started, "unstorable_text",
                "The call's name, id or arguments hold the NUL character (U+0000) or an unpaired surrogate, which cannot be stored. Call the tool again without them.");
        }

        // 1. The tool exists and the agent's template may use it.
        if (!ToolDefinitions.TryGet(call.ToolName, out var tool))
        {
            return await DenyAsync(call, started, "unknown_tool",
                $"There is no tool named '{call.ToolName}'. The tools are: {string.Join(", ", ToolDefinitions.All.Select(t => t.Name))}.");
        }

        Contracts.AgentManagement.AgentResolved? agent;
        try
        {
            agent = await agents.FindAsync(call.UserId, call.AgentId, cancellationToken);
        }
        catch (AgentManagementUnavailableException)
        {
            // Fail closed: without the template's policy nothing may run, but a retry may succeed.
            return await DenyAsync(call, started, "agent_directory_unavailable",
                "The tool could not be checked against the agent's template right now. Try again in a moment.", ToolCallStatus.Error);
        }

        if (agent is null)
        {
            return await DenyAsync(call, started, "agent_not_found", "This agent is unknown or does not belong to the user; no tool may run for it.");
        }

        // Hand-offs are offered to the configured templates' agents without a template version listing the tool.
        agent = HandOffTool.WithHandOff(agent, _options.HandOffTemplatesOrDefault);

        var templateTool = agent.Tools.FirstOrDefault(t => t.Name == tool.Name);
        if (templateTool is null)
        {
            return await DenyAsync(call, started, "tool_not_allowed",
                $"The agent's template '{agent.TemplateId}' does not allow '{tool.Name}'. "
                + $"It allows: {(agent.Tools.Count == 0 ? "no tools" : string.Join(", ", agent.Tools.Select(t => t.Name)))}.");
        }

        // 2. The arguments validate against the schema.
        var errors = ArgumentValidator.Validate(call.ArgumentsJson, tool.Parameters, out var arguments);
        if (errors.Count > 0 || arguments is null)
        {
            return await DenyAsync(call, started, "invalid_arguments",
                $"The arguments of {tool.Name} are invalid: {string.Join(" ", errors)} Fix them and call the tool again.");
        }

        // 3. The acting user may do this.
        var handler = handlers.Single(h => h.Name == tool.Name);
        if (await handler.AuthorizeAsync(call, arguments, cancellationToken) is { } denial)
        {
            return await DenyAsync(call, started, denial.Code, denial.Message);
        }

        // 4. A call whose policy needs approval carries the user's approval of this very call.
        if ((tool.RequiresApproval || templateTool.RequiresApproval) && call.ApprovedBy != call.UserId)
        {
            return await DenyAsync(call, started, "approval_required",
                $"{tool.Name} needs the user's approval for this call, and it has not been given. "
                + "Do not retry on your own; the user decides.");
        }

        // 5. The per-turn cap, then the per-user rate limit.
        if (call.CallsThisTurn >= _options.MaxCallsPerTurn)
        {
            return await DenyAsync(call, started, "turn_limit_exceeded",
                $"This turn has already made {call.CallsThisTurn} tool calls, the most one turn may make. "
                + "Answer the user with what you have.");
        }

        bool withinLimit;
        try
        {
            withinLimit = await rateLimiter.TryAcquireAsync(call.UserId, call.ToolCallId);
        }
        catch (Exception ex) when (ex.IsRedisFailure())
        {
            // Fail closed, as with the agent lookup: an uncounted call could exceed the limit.
            return await DenyAsync(call, started, "rate_limiter_unavailable",
                "The tool call could not be counted against the user's rate limit right now. Try again in a moment.", ToolCallStatus.Error);
        }

        if (!withinLimit)
        {
            return await DenyAsync(call, started, "rate_limited",
                $"The user has made more than {_options.RateLimitCalls} tool calls within {_options.RateLimitWindow.TotalSeconds:0} seconds. "
                + "Wait before calling tools again.");
        }

        // The caller gave up on a call this late (it told the person the tool did not answer): never run it.
        if (call.RunBy is { } runBy && timeProvider.GetUtcNow() > runBy)
        {
            // Whether the call came late or the checks above made it late tells an operator where to look.
            LogExpired(call.ToolCallId, call.ToolName, (long)(runBy - arrived).TotalMilliseconds, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return await DenyAsync(call, started, "expired",
                $"The call arrived after its start deadline ({runBy:O}), when the conversation had stopped waiting for it; it was not run. "
                + "Call the tool again if it is still wanted.", ToolCallStatus.Error);
        }

        // 6. Idempotency: claim the tool_call_id, or answer with what the earlier call stored.
        var claim = await ClaimAsync(call, cancellationToken);
        if (claim is null)
        {
            return await ReplayAsync(call, started, cancellationToken);
        }

        // 7. Run with a timeout; the result is data, capped in size.
        return await RunAsync(call, handler, arguments, claim, started, cancellationToken);
    }

    private async Task<ToolCallRecord?> ClaimAsync(ExecuteToolCall call, CancellationToken cancellationToken)
    {
        var claim = new ToolCallRecord
        {
            UserId = call.UserId,
            ToolCallId = call.ToolCallId,
            Tool = call.ToolName,
            ArgumentsHash = Hash(call.ArgumentsJson),
            StartedAt = timeProvider.GetUtcNow(),
        };

        // The primary key on (user_id, tool_call_id) admits one claim; a concurrent second insert waits
        // for the first to commit and then inserts nothing. Nothing here is an error, so nothing is logged as one.
        var inserted = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO tool_calls (user_id, tool_call_id, tool, arguments_hash, duration_ms, started_at)
            VALUES ({claim.UserId}, {claim.ToolCallId}, {claim.Tool}, {claim.ArgumentsHash}, 0, {claim.StartedAt})
            ON CONFLICT (user_id, tool_call_id) DO NOTHING
            """,
            cancellationToken);
        if (inserted == 0)
        {
            return null;
        }

        db.ToolCalls.Attach(claim);
        return claim;
    }

    private async Task<Outcome> RunAsync(ExecuteToolCall call, IToolHandler handler, JsonObject arguments, ToolCallRecord claim, long started, CancellationToken cancellationToken)
    {
        string status;
        string result;
        string? reason = null;
        var runFor = RunTimeout(call);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(runFor);
        try
        {
            var data = await handler.ExecuteAsync(call, arguments, timeout.Token).WaitAsync(timeout.Token);
            result = ToolResults.Success(data, _options.MaxResultChars)
                ?? ToolResults.Failure(ToolCallStatus.Error, reason = "output_too_large",
                    $"The result of {handler.Name} is larger than {_options.MaxResultChars} characters even when shortened. Ask for less (a smaller limit or a narrower filter).");
            status = reason is null ? ToolCallStatus.Success : ToolCallStatus.Error;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            status = ToolCallStatus.Error;
            result = ToolResults.Failure(status, reason = "timeout",
                $"{handler.Name} did not finish within {runFor.TotalSeconds:0.#} seconds. It may or may not have taken effect; check before trying again.");
        }
        catch (ToolFailureException failure)
        {
            status = ToolCallStatus.Error;
            result = ToolResults.Failure(status, reason = failure.Code, failure.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Stored like any other result, so a redelivery answers the same instead of waiting on a claim.
            LogToolFailed(ex, handler.Name, call.ToolCallId);
            status = ToolCallStatus.Error;
            result = ToolResults.Failure(status, reason = "internal_error",
                $"{handler.Name} failed unexpectedly and made no change. Try again later, or tell the user it is not working.");
        }

        if (status != ToolCallStatus.Success)
        {
            // Whatever the tool staged in the database before it failed must not be saved.
            db.ChangeTracker.Clear();
            db.ToolCalls.Attach(claim);
        }

        var durationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        claim.Status = status;
        claim.Result = result;
        claim.DurationMs = durationMs;
        claim.CompletedAt = timeProvider.GetUtcNow();
        await ledger.StageAsync(call, AuditDecisions.Allowed, reason, status, result, durationMs, cancellationToken);

        // The tool's own changes (a new task…), its stored result and its audit entry commit together.
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(AuditDecisions.Allowed, reason, status, result, durationMs);
    }

    private async Task<Outcome> ReplayAsync(ExecuteToolCall call, long started, CancellationToken cancellationToken)
    {
        ToolCallRecord stored;
        while (true)
        {
            stored = await db.ToolCalls.AsNoTracking()
                .SingleAsync(c => c.UserId == call.UserId && c.ToolCallId == call.ToolCallId, cancellationToken);

            // A running call finishes within its timeout; a claim older than that was interrupted.
            if (stored.Status is not null || timeProvider.GetUtcNow() >= stored.StartedAt + _options.Timeout + ClaimGrace)
            {
                break;
            }

            await Task.Delay(ClaimPollInterval, timeProvider, cancellationToken);
        }

        if (stored.Tool != call.ToolName || stored.ArgumentsHash != Hash(call.ArgumentsJson))
        {
            return await DenyAsync(call, started, "tool_call_id_reused",
                $"tool_call_id {call.ToolCallId} was already used for a different call; each call needs its own id.", ToolCallStatus.Error);
        }

        if (stored.Status is null || stored.Result is null)
        {
            var unknown = ToolResults.Failure(ToolCallStatus.Error, "outcome_unknown",
                "An earlier attempt of this very call has not finished or was interrupted; whether it took effect is unknown. Check before trying again with a new call.");
            return await RecordAsync(call, started, AuditDecisions.Replayed, "outcome_unknown", ToolCallStatus.Error, unknown, cancellationToken);
        }

        var replayed = await RecordAsync(call, started, AuditDecisions.Replayed, null, stored.Status, stored.Result, cancellationToken);
        return replayed with { StoredDurationMs = stored.DurationMs };
    }

    private Task<Outcome> DenyAsync(ExecuteToolCall call, long started, string reason, string message, string status = ToolCallStatus.Denied) =>
        RecordAsync(call, started, AuditDecisions.Denied, reason, status, ToolResults.Failure(status, reason, message), CancellationToken.None);

    private async Task<Outcome> RecordAsync(ExecuteToolCall call, long started, string decision, string? reason, string status, string result, CancellationToken cancellationToken)
    {
        var durationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        db.ChangeTracker.Clear();
        await ledger.StageAsync(call, decision, reason, status, result, durationMs, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(decision, reason, status, result, durationMs);
    }

    /// <summary>
    /// How long the tool may run: <see cref="ToolExecutionOptions.Timeout"/>, or less for a call that started late, so that
    /// it ends, and its answer is on its way, before the caller stops waiting (<see cref="ExecuteToolCall.AnswerBy"/>).
    /// </summary>
    private TimeSpan RunTimeout(ExecuteToolCall call)
    {
        if (call.AnswerBy is not { } answerBy)
        {
            return _options.Timeout;
        }

        var left = answerBy - timeProvider.GetUtcNow() - AnswerWayBack;
        return left >= _options.Timeout ? _options.Timeout : left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Tool call {ToolCallId} to {Tool} decided {Decision}: {Status} in {DurationMs} ms")]
    private partial void LogDecided(string toolCallId, string tool, string decision, string status, long durationMs);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Tool {Tool} failed on call {ToolCallId}")]
    private partial void LogToolFailed(Exception exception, string tool, string toolCallId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning,
        Message = "Tool call {ToolCallId} to {Tool} expired before it could start: it arrived with {MsLeftOnArrival} ms of its start window left, and the checks took {ChecksMs} ms")]
    private partial void LogExpired(string toolCallId, string tool, long msLeftOnArrival, long checksMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Tool call {ToolCallId} to {Tool} denied: {Reason}")]
    private partial void LogDenied(string tool, string toolCallId, string? reason);

    private sealed record Outcome(string Decision, string? Reason, string Status, string Result, long DurationMs)
    {
        public long StoredDurationMs { get; init; } = DurationMs;
    }
}
