using LettaPlatform.Contracts.Chat;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ServiceDefaults.Problems;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.GitHub;
using LettaPlatform.ToolExecution.Api.Model;

namespace LettaPlatform.ToolExecution.Api.Guard;

/// <summary>
/// The audit ledger (<c>tool_executions</c>): a row for every decision about a tool call, whether the
/// <see cref="ToolExecutionGuard"/> made it or chat-api refused the call before it got here. Arguments and
/// result are redacted (secret-looking values, the user's own GitHub token) and the result is shortened.
/// Rows are staged and the caller saves them, so a tool's own changes, its stored result and its row commit together.
/// </summary>
public sealed class AuditLedger(ToolExecutionDbContext db, GitHubCredentials gitHub, TimeProvider timeProvider)
{
    /// <summary>The longest tool_call_id stored (here and in the idempotency claims).</summary>
    public const int MaxToolCallIdLength = 200;

    private const int MaxToolNameLength = 100;
    private const int MaxResultLength = 2000;

    /// <summary>Stages the row of the guard's decision about <paramref name="call"/>.</summary>
    public Task StageAsync(
        ExecuteToolCall call, string decision, string? reason, string status, string result, long durationMs, CancellationToken cancellationToken) =>
        StageAsync(
            new AuditedCall(call.UserId, call.AgentId, call.SessionId, call.ToolCallId ?? "", call.ToolName, call.ArgumentsJson, call.ApprovedBy, call.HandOff),
            decision, reason, status, result, durationMs, cancellationToken);

    /// <summary>Stages the row of a call refused before it reached the guard (by chat-api, or by a person).</summary>
    public Task StageRefusalAsync(ToolCallRefused refusal, CancellationToken cancellationToken) =>
        StageAsync(
            new AuditedCall(
                refusal.UserId, refusal.AgentId, refusal.SessionId, StorableText.Sanitize(refusal.ToolCallId), StorableText.Sanitize(refusal.ToolName),
                StorableText.SanitizeJson(refusal.ArgumentsJson), ApprovedBy: null, refusal.HandOff),
            AuditDecisions.Denied, refusal.Reason, ToolCallStatus.Denied,
            ToolResults.Failure(ToolCallStatus.Denied, refusal.Reason, StorableText.Sanitize(refusal.Message)), durationMs: 0, cancellationToken);

    private async Task StageAsync(
        AuditedCall call, string decision, string? reason, string status, string result, long durationMs, CancellationToken cancellationToken)
    {
        var secrets = await KnownSecretsAsync(call.UserId, cancellationToken);
        db.ToolExecutions.Add(new ToolExecutionEntry
        {
            Id = Guid.CreateVersion7(),
            UserId = call.UserId,
            AgentId = call.AgentId,
            SessionId = call.SessionId,
            ToolCallId = Truncate(call.ToolCallId, MaxToolCallIdLength),
            Tool = Truncate(call.ToolName, MaxToolNameLength),
            Arguments = AuditRedactor.Redact(call.ArgumentsJson, secrets),
            Decision = decision,
            Reason = reason,
            Status = status,
            ResultSummary = Truncate(AuditRedactor.RedactText(result, secrets), MaxResultLength),
            DurationMs = durationMs,
            ApprovedBy = call.ApprovedBy,
            ChainId = call.HandOff?.ChainId,
            ChainDepth = call.HandOff?.Depth,
            ParentToolCallId = call.HandOff?.ParentToolCallId is { } parent ? Truncate(StorableText.Sanitize(parent), MaxToolCallIdLength) : null,
            CreatedAt = Now(),
        });
    }

    // The user's own token is the one secret a model is most likely to echo into arguments.
    private async Task<IReadOnlyList<string>> KnownSecretsAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            return await gitHub.GetAccessAsync(userId, cancellationToken) is { } access ? [access.Token] : [];
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return [];
        }
    }

    // PostgreSQL keeps microseconds; the ledger is paged by (created_at, id), so what is written is what a cursor reads back.
    private DateTimeOffset Now()
    {
        var now = timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>What the ledger records of a call, whether it came as an <see cref="ExecuteToolCall"/> or as a refusal.</summary>
    private sealed record AuditedCall(
        string UserId, Guid AgentId, Guid SessionId, string ToolCallId, string ToolName, string ArgumentsJson, string? ApprovedBy, HandOffContext? HandOff);
}
