using System.Security.Claims;
using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;
using LettaPlatform.MemorySync.Api.Services;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.MemorySync.Api.Apis;

public static class SnapshotsApi
{
    public static IEndpointRouteBuilder MapSnapshotsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/memory/agents/{agentId:guid}/snapshots").WithTags("Memory snapshots");

        api.MapPost("/", CreateSnapshot).WithName("CreateMemorySnapshot")
            .WithSummary("Take a snapshot of an agent's memory")
            .WithDescription("Saves every block's current value and version, with Letta's Agent File when Letta can export it, and answers 201. "
                + "Only the newest snapshots are kept (manual and scheduled alike). 404 `agent_not_found`.");
        api.MapGet("/", ListSnapshots).WithName("ListMemorySnapshots")
            .WithSummary("List an agent's memory snapshots")
            .WithDescription("Newest first, each with its blocks; not paged, since retention keeps the list short. 404 `agent_not_found`.");
        api.MapGet("/{snapshotId:guid}", GetSnapshot).WithName("GetMemorySnapshot")
            .WithSummary("Get a memory snapshot")
            .WithDescription("404 `agent_not_found` or `snapshot_not_found`.");
        api.MapPost("/{snapshotId:guid}/restore", RestoreSnapshot).WithName("RestoreMemorySnapshot")
            .WithSummary("Restore an agent's memory from a snapshot")
            .WithDescription("Brings every block that differs back to its value in the snapshot, each as a new `system` version pushed to Letta "
                + "(a block's open conflict is dropped; both sides stay in its history), and answers the blocks. "
                + "404 `agent_not_found` or `snapshot_not_found`.");

        return app;
    }

    public static async Task<Results<Created<SnapshotResponse>, ProblemHttpResult>> CreateSnapshot(
        Guid agentId, ClaimsPrincipal user, AgentDirectory directory, Snapshots snapshots, CancellationToken cancellationToken)
    {
        var agent = await directory.FindAsync(user.GetUserId(), agentId, cancellationToken);
        if (agent is null)
        {
            return ApiProblems.AgentNotFound.Result("You have no agent with this id.");
        }

        var snapshot = await snapshots.TakeAsync(agent, Snapshots.Manual, cancellationToken);
        return TypedResults.Created($"/api/memory/agents/{agentId}/snapshots/{snapshot.Id}", ToResponse(snapshot));
    }

    public static async Task<Results<Ok<IReadOnlyList<SnapshotResponse>>, ProblemHttpResult>> ListSnapshots(
        Guid agentId, ClaimsPrincipal user, AgentDirectory directory, MemorySyncDbContext db, CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(user.GetUserId(), agentId, cancellationToken) is null)
        {
            return ApiProblems.AgentNotFound.Result("You have no agent with this id.");
        }

        // Retention keeps the list short, so it is not paginated.
        var list = await db.Snapshots.AsNoTracking().Include(s => s.Blocks)
            .Where(s => s.AgentId == agentId)
            .OrderByDescending(s => s.CreatedAt)
            .Select(s => new { Snapshot = s, HasAgentFile = s.AgentFile != null })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<SnapshotResponse>>([.. list.Select(x => ToResponse(x.Snapshot, x.HasAgentFile))]);
    }

    public static async Task<Results<Ok<SnapshotResponse>, ProblemHttpResult>> GetSnapshot(
        Guid agentId, Guid snapshotId, ClaimsPrincipal user, AgentDirectory directory, MemorySyncDbContext db, CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(user.GetUserId(), agentId, cancellationToken) is null)
        {
            return ApiProblems.AgentNotFound.Result("You have no agent with this id.");
        }

        var snapshot = await db.Snapshots.AsNoTracking().Include(s => s.Blocks)
            .SingleOrDefaultAsync(s => s.Id == snapshotId && s.AgentId == agentId, cancellationToken);
        return snapshot is null ? ApiProblems.SnapshotNotFound.Result("The agent has no such snapshot.") : TypedResults.Ok(ToResponse(snapshot));
    }

    public static async Task<Results<Ok<RestoreResponse>, ProblemHttpResult>> RestoreSnapshot(
        Guid agentId, Guid snapshotId, ClaimsPrincipal user, AgentDirectory directory, Snapshots snapshots, MemorySyncDbContext db, CancellationToken cancellationToken)
    {
        var agent = await directory.FindAsync(user.GetUserId(), agentId, cancellationToken);
        if (agent is null)
        {
            return ApiProblems.AgentNotFound.Result("You have no agent with this id.");
        }

        var blocks = await snapshots.RestoreAsync(agent, snapshotId, cancellationToken);
        if (blocks is null)
        {
            return ApiProblems.SnapshotNotFound.Result("The agent has no such snapshot.");
        }

        var responses = new List<BlockResponse>(blocks.Count);
        foreach (var block in blocks)
        {
            responses.Add(await MemoryApi.ToResponseAsync(db, agent, block, cancellationToken));
        }

        return TypedResults.Ok(new RestoreResponse(snapshotId, responses));
    }

    internal static SnapshotResponse ToResponse(Snapshot snapshot) => ToResponse(snapshot, snapshot.AgentFile is not null);

    private static SnapshotResponse ToResponse(Snapshot snapshot, bool hasAgentFile) => new(
        snapshot.Id,
        snapshot.CreatedAt,
        snapshot.Trigger,
        hasAgentFile,
        [.. snapshot.Blocks.OrderBy(b => b.Label).Select(b => new SnapshotBlockResponse(b.Label, b.Value, b.Version, b.Limit))]);
}
