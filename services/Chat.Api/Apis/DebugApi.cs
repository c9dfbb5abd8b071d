using System.Security.Claims;
using System.Text.Json.Nodes;
using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Chat.Api.Apis;

/// <summary>Debug mode for one conversation (admins only): verbose, redacted capture of its turns for a limited time.</summary>
public static class DebugApi
{
    public const int DefaultEntries = 200;
    public const int MaxEntries = 1000;

    public static IEndpointRouteBuilder MapDebugApi(this IEndpointRouteBuilder endpoints)
    {
        var debug = endpoints.MapGroup("/api/chat/admin/sessions/{id:guid}/debug").WithTags("Debug").RequireAuthorization(Policies.Admin);

        debug.MapPut("", EnableDebug).WithName("EnableSessionDebug")
            .WithSummary("Switch on debug capture for one session (admin)")
            .WithDescription("From now for `durationSeconds` (1 to `Chat:DebugCaptureMaxDuration`), every turn of the session records each Letta "
                + "request and response, each tool call with its guard decision, and timings, with the turn's trace id; tokens, keys and credential "
                + "headers are redacted. It switches itself off when the time is up; calling again sets a new end. Any user's session; needs the "
                + "`admin` role (403 otherwise). 400 for a missing or out-of-range duration; 404 `session_not_found`.");
        debug.MapDelete("", DisableDebug).WithName("DisableSessionDebug")
            .WithSummary("Switch off debug capture for one session (admin)")
            .WithDescription("Stops capturing at once; what was captured stays readable. 404 `session_not_found`.");
        debug.MapGet("", GetDebug).WithName("GetSessionDebug")
            .WithSummary("Read a session's debug capture (admin)")
            .WithDescription("Whether capture is on and until when, and the captured entries of this session only, oldest first: the last `limit` "
                + "(1 to 1000, default 200). Each has `kind` (turn, letta_request, letta_response, tool_call), `name`, `data` (redacted), "
                + "`elapsedMs`, `turnId` and `traceId` (the trace of the turn on the dashboard). 400 for a bad `limit`; 404 `session_not_found`.");
        return endpoints;
    }

    public static async Task<Results<Ok<DebugStateResponse>, ValidationProblem, ProblemHttpResult>> EnableDebug(
        Guid id, EnableDebugRequest request, ClaimsPrincipal user, ChatDbContext db, IOptions<ChatOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var max = (int)options.Value.DebugCaptureMaxDuration.TotalSeconds;
        if (request.DurationSeconds is not { } seconds || seconds < 1 || seconds > max)
        {
            return ApiProblems.Validation("durationSeconds", $"durationSeconds is required and must be between 1 and {max}.");
        }

        if (!await db.Sessions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return SessionNotFound();
        }

        var now = time.GetUtcNow();
        var capture = await db.DebugSwitches.SingleOrDefaultAsync(s => s.SessionId == id, cancellationToken);
        if (capture is null)
        {
            capture = new DebugCaptureSwitch { SessionId = id, EnabledUntil = now, EnabledBy = user.GetUserId(), EnabledAt = now };
            db.DebugSwitches.Add(capture);
        }

        capture.EnabledUntil = now.AddSeconds(seconds);
        capture.EnabledBy = user.GetUserId();
        capture.EnabledAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DebugStateResponse(id, true, capture.EnabledUntil, capture.EnabledBy, []));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DisableDebug(Guid id, ChatDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await db.Sessions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return SessionNotFound();
        }

        var now = time.GetUtcNow();
        await db.DebugSwitches.Where(s => s.SessionId == id && s.EnabledUntil > now)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.EnabledUntil, now), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<DebugStateResponse>, ValidationProblem, ProblemHttpResult>> GetDebug(
        Guid id, int? limit, ChatDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxEntries)
        {
            return ApiProblems.Validation("limit", $"limit must be between 1 and {MaxEntries}.");
        }

        if (!await db.Sessions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return SessionNotFound();
        }

        var capture = await db.DebugSwitches.AsNoTracking().SingleOrDefaultAsync(s => s.SessionId == id, cancellationToken);
        var entries = await db.DebugEntries.AsNoTracking().Where(e => e.SessionId == id)
            .OrderByDescending(e => e.Sequence).Take(limit ?? DefaultEntries).ToListAsync(cancellationToken);
        entries.Reverse();
        var now = time.GetUtcNow();
        return TypedResults.Ok(new DebugStateResponse(id, capture is not null && capture.EnabledUntil > now, capture?.EnabledUntil, capture?.EnabledBy,
            [.. entries.Select(e => new DebugEntryResponse(e.Sequence, e.TurnId, e.TraceId, e.Kind, e.Name, JsonNode.Parse(e.Data), e.ElapsedMs, e.CreatedAt))]));
    }

    private static ProblemHttpResult SessionNotFound() => ApiProblems.SessionNotFound.Result("There is no such session.");
}

public sealed record EnableDebugRequest(int? DurationSeconds);

public sealed record DebugStateResponse(Guid SessionId, bool Enabled, DateTimeOffset? EnabledUntil, string? EnabledBy, IReadOnlyList<DebugEntryResponse> Entries);

public sealed record DebugEntryResponse(long Sequence, Guid? TurnId, string? TraceId, string Kind, string Name, JsonNode? Data, double? ElapsedMs, DateTimeOffset CreatedAt);
