using LettaPlatform.Chat.Api.Data;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.Chat.Api.Apis;

/// <summary>Log analysis from the turns table: what happened in a time window, for operators (admins only).</summary>
public static class TurnSummaryApi
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

    public static IEndpointRouteBuilder MapTurnSummaryApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/chat/admin/turns/summary", Summarize).WithName("SummarizeTurns").WithTags("Debug")
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Summarise the turns of a time window (admin)")
            .WithDescription("Turns that started in [`from`, `to`) (default: the last hour; at most 31 days), optionally of one `userId`: counts by "
                + "status, tokens, tool calls, people, the `top` slowest turns (1 to 50, default 10) and the most frequent error codes. Needs the "
                + "`admin` role (403 otherwise); 400 for a window that is empty, reversed or too long, or a bad `top`.");
        return endpoints;
    }

    public static async Task<Results<Ok<TurnSummary>, ValidationProblem>> Summarize(
        DateTimeOffset? from, DateTimeOffset? to, string? userId, int? top, ChatDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var end = to ?? time.GetUtcNow();
        var start = from ?? end.AddHours(-1);
        if (start >= end || end - start > MaxWindow)
        {
            return ApiProblems.Validation("from", $"from must be before to, at most {MaxWindow.TotalDays} days before it.");
        }

        if (top is < 1 or > 50)
        {
            return ApiProblems.Validation("top", "top must be between 1 and 50.");
        }

        var turns = db.Turns.AsNoTracking().Where(t => t.StartedAt >= start && t.StartedAt < end);
        if (userId is not null)
        {
            turns = turns.Where(t => t.UserId == userId);
        }

        var byStatus = await turns.GroupBy(t => t.Status).Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        var totals = await turns.GroupBy(_ => 1).Select(g => new
        {
            Prompt = g.Sum(t => (long)t.PromptTokens),
            Completion = g.Sum(t => (long)t.CompletionTokens),
            ToolCalls = g.Sum(t => (long)t.ToolCalls),
            People = g.Select(t => t.UserId).Distinct().Count(),
        }).SingleOrDefaultAsync(cancellationToken);
        var slowest = await turns.Where(t => t.CompletedAt != null).OrderByDescending(t => t.CompletedAt!.Value - t.StartedAt).Take(top ?? 10)
            .Select(t => new { t.Id, t.SessionId, t.Status, t.ErrorCode, t.StartedAt, CompletedAt = t.CompletedAt!.Value })
            .ToListAsync(cancellationToken);
        var errors = await turns.Where(t => t.ErrorCode != null).GroupBy(t => t.ErrorCode!).Select(g => new { Code = g.Key, Count = g.Count() })
            .OrderByDescending(e => e.Count).ThenBy(e => e.Code).Take(top ?? 10).ToListAsync(cancellationToken);

        return TypedResults.Ok(new TurnSummary(
            start,
            end,
            byStatus.Values.Sum(),
            byStatus,
            totals?.Prompt ?? 0,
            totals?.Completion ?? 0,
            totals?.ToolCalls ?? 0,
            totals?.People ?? 0,
            [.. slowest.Select(t => new SlowTurn(t.Id, t.SessionId, t.Status, t.ErrorCode, t.StartedAt, (t.CompletedAt - t.StartedAt).TotalMilliseconds))],
            [.. errors.Select(e => new ErrorCodeCount(e.Code, e.Count))]));
    }
}

public sealed record TurnSummary(
    DateTimeOffset From,
    DateTimeOffset To,
    int Turns,
    IReadOnlyDictionary<string, int> ByStatus,
    long PromptTokens,
    long CompletionTokens,
    long ToolCalls,
    int People,
    IReadOnlyList<SlowTurn> Slowest,
    IReadOnlyList<ErrorCodeCount> TopErrorCodes);

public sealed record SlowTurn(Guid TurnId, Guid SessionId, string Status, string? ErrorCode, DateTimeOffset StartedAt, double DurationMs);

public sealed record ErrorCodeCount(string Code, int Count);
