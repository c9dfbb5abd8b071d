using System.Security.Claims;
using System.Text.Json.Nodes;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Paging;
using LettaPlatform.ToolExecution.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.ToolExecution.Api.Apis;

public sealed record ToolExecutionDto(
    Guid Id, string ToolCallId, string Tool, JsonNode? Arguments, string Decision, string? Reason, string Status, string Result,
    long DurationMs, string? ApprovedBy, Guid AgentId, Guid SessionId, DateTimeOffset CreatedAt,
    Guid? ChainId = null, int? ChainDepth = null, string? ParentToolCallId = null);

/// <summary>The caller's audit ledger, newest first. Nobody sees another user's entries.</summary>
public static class ToolExecutionsApi
{
    public static IEndpointRouteBuilder MapToolExecutionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tool-executions", ListToolExecutions).WithName("ListToolExecutions").WithTags("Tool executions")
            .WithSummary("List the caller's tool executions")
            .WithDescription("The audit ledger of tool calls made by the caller's agents, newest first, optionally for one `sessionId` or one hand-off chain (`chainId`): "
                + "tool, arguments, the guard's decision (`allowed`, `denied`, `replayed`, or `previewed` for a call shown to the person before they approved it) and its reason, status, result summary, duration "
                + "who approved it, and for a call in a hand-off chain its `chainId`, `chainDepth` (0: the person's own conversation) and `parentToolCallId` (the `ask_agent` call that started the turn that made it). Paged with `limit` (1 to 200, default 50) and `cursor`.");
        return app;
    }

    public static async Task<Results<Ok<Page<ToolExecutionDto>>, ValidationProblem>> ListToolExecutions(
        ClaimsPrincipal user, ToolExecutionDbContext db, Guid? sessionId, Guid? chainId, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Pagination.TryRead<TimePosition>(limit, cursor, out var paging, out var problem))
        {
            return problem;
        }

        var userId = user.GetUserId();
        var query = db.ToolExecutions.AsNoTracking().Where(e => e.UserId == userId);
        if (sessionId is { } session)
        {
            query = query.Where(e => e.SessionId == session);
        }

        if (chainId is { } chain)
        {
            query = query.Where(e => e.ChainId == chain);
        }

        if (paging.HasPosition)
        {
            var position = paging.Position;
            query = query.Where(e => EF.Functions.LessThan(
                ValueTuple.Create(e.CreatedAt, e.Id),
                ValueTuple.Create(position.At, position.Id)));
        }

        var entries = await query
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Take(paging.Limit + 1)
            .ToListAsync(cancellationToken);

        var dtos = entries
            .Select(e => new ToolExecutionDto(
                e.Id, e.ToolCallId, e.Tool, JsonNode.Parse(e.Arguments), e.Decision, e.Reason, e.Status, e.ResultSummary,
                e.DurationMs, e.ApprovedBy, e.AgentId, e.SessionId, e.CreatedAt, e.ChainId, e.ChainDepth, e.ParentToolCallId))
            .ToList();
        return TypedResults.Ok(Pagination.ToPage(dtos, paging.Limit, e => new TimePosition(e.CreatedAt, e.Id)));
    }
}
