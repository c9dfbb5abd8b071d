using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;
using LettaPlatform.MemorySync.Api.Services;
using LettaPlatform.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LettaPlatform.MemorySync.Api.Apis;

public static class MemoryAdminApi
{
    public static IEndpointRouteBuilder MapMemoryAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/memory").WithTags("Memory administration").RequireAuthorization(Policies.Admin);

        api.MapPost("/reconcile", Reconcile).WithName("ReconcileMemory")
            .WithSummary("Reconcile every agent's memory with Letta now (admin)")
            .WithDescription("Compares each live agent's blocks in Letta with the latest recorded versions, records what drifted, and answers "
                + "the report (agents checked, failed, drifted, conflicts). The periodic worker does the same; one run at a time per replica.");
        api.MapGet("/overview", GetOverview).WithName("GetMemoryOverview")
            .WithSummary("Memory across all agents (admin)")
            .WithDescription("Counts of agents and blocks, the `top` blocks nearest their limit (default 10, at most 200), edits per author and day "
                + "over the last `days` (default 30, at most 365), the most changed blocks, agents out of sync, and the last reconcile report.");

        return app;
    }

    public static async Task<Ok<ReconcileReport>> Reconcile(Reconciler reconciler, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reconciler.RunAsync(cancellationToken));

    public static async Task<Ok<MemoryOverviewResponse>> GetOverview(
        int? days,
        int? top,
        MemorySyncDbContext db,
        Reconciler reconciler,
        IOptions<MemorySyncOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var take = Math.Clamp(top ?? 10, 1, 200);
        var since = time.GetUtcNow() - TimeSpan.FromDays(Math.Clamp(days ?? 30, 1, 365));
        var share = options.Value.NearLimitShare;

        var liveAgents = db.Agents.Where(a => a.DeletedAt == null && !a.IsProject);
        var liveBlocks = db.Blocks.Where(b => liveAgents.Any(a => a.Id == b.AgentId));

        var nearLimit = await liveBlocks
            .Where(b => b.Limit > 0 && b.Value.Length >= b.Limit * share)
            .Join(liveAgents, b => b.AgentId, a => a.Id, (b, a) => new { b.AgentId, a.UserId, b.Label, Size = b.Value.Length, b.Limit })
            .OrderByDescending(x => (double)x.Size / x.Limit)
            .Take(take)
            .ToListAsync(cancellationToken);

        var edits = await db.Database.SqlQuery<EditCount>($"""
            SELECT date_trunc('day', created_at AT TIME ZONE 'UTC') AS "Day", author AS "Author", count(*)::int AS "Count"
            FROM block_versions WHERE created_at >= {since}
            GROUP BY 1, 2 ORDER BY 1, 2
            """).ToListAsync(cancellationToken);

        var mostChanged = await db.Versions
            .Where(v => liveAgents.Any(a => a.Id == v.AgentId))
            .GroupBy(v => new { v.AgentId, v.Label })
            .Select(g => new { g.Key.AgentId, g.Key.Label, Versions = g.Count() })
            .OrderByDescending(c => c.Versions)
            .Take(take)
            .ToListAsync(cancellationToken);

        var unsynced = await liveBlocks
            .Where(b => b.SyncState != SyncStates.Synced)
            .GroupBy(b => b.AgentId)
            .Select(g => new
            {
                AgentId = g.Key,
                Pending = g.Count(b => b.SyncState == SyncStates.Pending),
                Conflicts = g.Count(b => b.SyncState == SyncStates.Conflict),
            })
            .ToListAsync(cancellationToken);

        var lastReconcile = reconciler.LastReport;
        var drifted = lastReconcile?.DriftedAgentIds.ToHashSet() ?? [];
        var outOfSync = unsynced.Select(u => new OutOfSyncAgent(u.AgentId, u.Pending, u.Conflicts, drifted.Contains(u.AgentId)))
            .Concat(drifted.Where(id => unsynced.All(u => u.AgentId != id)).Select(id => new OutOfSyncAgent(id, 0, 0, true)))
            .OrderByDescending(a => a.Conflicts).ThenByDescending(a => a.Pending)
            .ToList();

        return TypedResults.Ok(new MemoryOverviewResponse(
            await liveAgents.CountAsync(cancellationToken),
            await liveBlocks.CountAsync(cancellationToken),
            [.. nearLimit.Select(x => new NearLimitBlock(x.AgentId, x.UserId, x.Label, x.Size, x.Limit, Math.Round((double)x.Size / x.Limit, 4)))],
            edits,
            [.. mostChanged.Select(c => new ChangedBlock(c.AgentId, c.Label, c.Versions))],
            outOfSync,
            lastReconcile));
    }
}
