using System.Security.Claims;
using LettaPlatform.Chat.Api.Agents;
using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.Chat.Api.Turns;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Paging;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.Chat.Api.Apis;

public static class SessionsApi
{
    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder endpoints)
    {
        var sessions = endpoints.MapGroup("/api/chat/sessions").WithTags("Sessions");

        sessions.MapPost("/", CreateSession).WithName("CreateSession")
            .WithSummary("Start a chat session")
            .WithDescription("Starts a session with one of the caller's agents (`agentId`) or with the caller's agent of a template "
                + "(`templateId`, provisioned on first use); give exactly one. Answers 201 with the session. "
                + "404 `agent_not_found` when the caller has no such agent or there is no such template; "
                + "503 `agent_management_unavailable` when agent-management does not answer in time.");
        sessions.MapGet("/", ListSessions).WithName("ListSessions")
            .WithSummary("List the caller's chat sessions")
            .WithDescription("Newest first, paged with `limit` (1 to 200, default 50) and `cursor` (the previous page's `nextCursor`). "
                + "A session whose agent waits for an approval carries the oldest such tool call as `pendingApproval` (with `handOffSessionId` "
                + "when the call was made inside a hand-off). Without `parentSessionId` the list holds the caller's own sessions; with it, the "
                + "hand-offs of that session (sessions of other agents its agent asked with `ask_agent`, each with `handOff`). "
                + "404 `session_not_found` when `parentSessionId` is not one of the caller's sessions.");
        sessions.MapGet("/{id:guid}", GetSession).WithName("GetSession")
            .WithSummary("Get a chat session")
            .WithDescription("The session, with `pendingApproval` when its agent waits for an answer. "
                + "404 `session_not_found` when there is no such session or it is another user's.");
        sessions.MapPatch("/{id:guid}", RenameSession).WithName("RenameSession")
            .WithSummary("Rename a chat session")
            .WithDescription("Sets the session's `title` (required, at most 200 characters). 404 `session_not_found`.");
        sessions.MapDelete("/{id:guid}", DeleteSession).WithName("DeleteSession")
            .WithSummary("Delete a chat session")
            .WithDescription("Deletes the session with its history, pending approvals, hand-off sessions and buffered turn events; the agent itself stays. "
                + "409 `turn_in_progress` while a turn runs on the session; 409 `handoff_session` for a hand-off's session (it goes with the session that asked); 404 `session_not_found`.");
        sessions.MapGet("/{id:guid}/messages", ListMessages).WithName("ListMessages")
            .WithSummary("Read a session's history")
            .WithDescription("The first page holds the newest messages and `nextCursor` leads to older ones; within a page, oldest first. "
                + "Messages are `user`, `assistant` or `tool` (with its `toolCall`). `limit` 1 to 200 (default 50). 404 `session_not_found`.");

        return endpoints;
    }

    public static async Task<Results<Created<SessionResponse>, ValidationProblem, ProblemHttpResult>> CreateSession(
        CreateSessionRequest request,
        ClaimsPrincipal user,
        ChatDbContext db,
        AgentResolver agents,
        TimeProvider time,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        Contracts.AgentManagement.AgentResolved agent;
        try
        {
            agent = request.AgentId is { } agentId
                ? await agents.ResolveAsync(userId, agentId, cancellationToken)
                : await agents.ResolveByTemplateAsync(userId, request.TemplateId!.Trim(), request.ProjectId?.ToString(), cancellationToken);
        }
        catch (ApiProblemException problem)
        {
            return problem.ToResult(http);
        }

        var now = time.GetUtcNow();
        var session = new ChatSession
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            AgentId = agent.AgentId,
            TemplateId = agent.TemplateId,
            Title = string.IsNullOrWhiteSpace(request.Title) ? null : request.Title.Trim(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);

        return TypedResults.Created($"/api/chat/sessions/{session.Id}", ToResponse(session, null));
    }

    /// <summary>The caller's sessions, newest first.</summary>
    public static async Task<Results<Ok<Page<SessionResponse>>, ValidationProblem, ProblemHttpResult>> ListSessions(
        ClaimsPrincipal user,
        ChatDbContext db,
        int? limit,
        string? cursor,
        Guid? parentSessionId,
        CancellationToken cancellationToken)
    {
        if (!Pagination.TryRead<Guid>(limit, cursor, out var paging, out var problem))
        {
            return problem;
        }

        var userId = user.GetUserId();
        var take = paging.Limit;
        if (parentSessionId is { } parentId && !await db.Sessions.AnyAsync(s => s.Id == parentId && s.UserId == userId, cancellationToken))
        {
            return ApiProblems.SessionNotFound.Result("There is no such chat session.");
        }

        var query = db.Sessions.AsNoTracking().Where(s => s.UserId == userId && s.ParentSessionId == parentSessionId);
        if (paging.HasPosition)
        {
            var position = paging.Position;
            query = query.Where(s => s.Id < position);
        }

        var page = await query.OrderByDescending(s => s.Id).Take(take + 1).ToListAsync(cancellationToken);
        var ids = page.Take(take).Select(s => s.Id).ToList();
        var pending = await PendingBySessionAsync(db, ids, cancellationToken);
        var items = page.Take(take).Select(s => ToResponse(s, pending.GetValueOrDefault(s.Id))).ToList();
        return TypedResults.Ok(new Page<SessionResponse>(items, page.Count > take ? Pagination.Encode(items[^1].Id) : null));
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> GetSession(
        Guid id,
        ClaimsPrincipal user,
        ChatDbContext db,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var session = await FindAsync(db, id, user, cancellationToken);
        if (session is null)
        {
            return ApiProblems.SessionNotFound.Result("There is no such chat session.");
        }

        var pending = await PendingBySessionAsync(db, [id], cancellationToken);
        return TypedResults.Ok(ToResponse(session, pending.GetValueOrDefault(id)));
    }

    public static async Task<Results<Ok<SessionResponse>, ValidationProblem, ProblemHttpResult>> RenameSession(
        Guid id,
        UpdateSessionRequest request,
        ClaimsPrincipal user,
        ChatDbContext db,
        TimeProvider time,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var session = await FindAsync(db, id, user, cancellationToken);
        if (session is null)
        {
            return ApiProblems.SessionNotFound.Result("There is no such chat session.");
        }

        session.Title = request.Title!.Trim();
        session.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var pending = await PendingBySessionAsync(db, [id], cancellationToken);
        return TypedResults.Ok(ToResponse(session, pending.GetValueOrDefault(id)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSession(
        Guid id,
        ClaimsPrincipal user,
        ChatDbContext db,
        TurnLock turnLock,
        TurnEventStore events,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var session = await FindAsync(db, id, user, cancellationToken);
        if (session is null)
        {
            return ApiProblems.SessionNotFound.Result("There is no such chat session.");
        }

        if (session.ParentSessionId is not null)
        {
            return ApiProblems.HandOffSession.Result("This conversation is a hand-off between your agents; it is deleted with the conversation that asked for it.");
        }

        if (await turnLock.IsHeldAsync(id))
        {
            return ApiProblems.TurnInProgress.Result("This session is answering another message; wait for it to finish (or follow it on /stream) and send again.");
        }

        db.Sessions.Remove(session);
        await db.SaveChangesAsync(cancellationToken);
        await events.ResetAsync(id);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// History: the first page holds the newest messages and <c>nextCursor</c> leads to older ones (a
    /// chat shows the latest first and loads earlier pages on scroll); within a page, oldest first.
    /// </summary>
    public static async Task<Results<Ok<Page<MessageResponse>>, ValidationProblem, ProblemHttpResult>> ListMessages(
        Guid id,
        ClaimsPrincipal user,
        ChatDbContext db,
        int? limit,
        string? cursor,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (!Pagination.TryRead<long>(limit, cursor, out var paging, out var problem))
        {
            return problem;
        }

        if (await FindAsync(db, id, user, cancellationToken) is null)
        {
            return ApiProblems.SessionNotFound.Result("There is no such chat session.");
        }

        var take = paging.Limit;
        var query = db.Messages.AsNoTracking().Where(m => m.SessionId == id);
        if (paging.HasPosition)
        {
            var before = paging.Position;
            query = query.Where(m => m.Sequence < before);
        }

        var newestFirst = await query.OrderByDescending(m => m.Sequence).Take(take + 1).ToListAsync(cancellationToken);
        var page = newestFirst.Take(take).ToList();
        var nextCursor = newestFirst.Count > take ? Pagination.Encode(page[^1].Sequence) : null;
        page.Reverse();
        return TypedResults.Ok(new Page<MessageResponse>([.. page.Select(ToResponse)], nextCursor));
    }

    /// <summary>The caller's session, or null: another user's session is indistinguishable from a missing one.</summary>
    public static Task<ChatSession?> FindAsync(ChatDbContext db, Guid id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        return db.Sessions.FirstOrDefaultAsync(s => s.Id == id && s.UserId == userId, cancellationToken);
    }

    private static async Task<Dictionary<Guid, PendingApprovalResponse>> PendingBySessionAsync(ChatDbContext db, List<Guid> sessionIds, CancellationToken cancellationToken) =>
        (await db.PendingToolCalls.AsNoTracking()
            .Where(p => sessionIds.Contains(p.SessionId) && p.Status == ApprovalStatus.Pending)
            .ToListAsync(cancellationToken))
        .GroupBy(p => p.SessionId)
        .ToDictionary(g => g.Key, g => g.OrderBy(p => p.CreatedAt).Select(p => new PendingApprovalResponse(p.ToolCallId, p.ToolName, p.ArgumentsJson, p.CreatedAt, Preview(p.PreviewJson), p.HandOffSessionId)).First());

    private static Tools.ApprovalPreview? Preview(string? json) =>
        json is null ? null : System.Text.Json.JsonSerializer.Deserialize<Tools.ApprovalPreview>(json, Turns.ChatEvent.JsonOptions);

    private static SessionResponse ToResponse(ChatSession session, PendingApprovalResponse? pending) =>
        new(session.Id, session.AgentId, session.TemplateId, session.Title, session.CreatedAt, session.UpdatedAt, pending,
            session is { ParentSessionId: { } parent, HandOffToolCallId: { } call, HandOffChainId: { } chain }
                ? new HandOffResponse(parent, call, chain, session.HandOffDepth, Turns.HandOffRunner.RequestOf(session.HandOffArguments))
                : null);

    private static MessageResponse ToResponse(ChatMessage message) => new(
        message.Id,
        message.Role,
        message.Content,
        message.ToolCallId is null ? null : new ToolCallResponse(message.ToolCallId, message.ToolName ?? "", message.ToolArguments, message.ToolStatus, message.Content),
        message.CreatedAt);
}
