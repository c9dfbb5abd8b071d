using System.Security.Claims;
using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;
using LettaPlatform.MemorySync.Api.Services;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Paging;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.MemorySync.Api.Apis;

public static class MemoryApi
{
    public static IEndpointRouteBuilder MapMemoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/memory/agents/{agentId:guid}").WithTags("Memory");

        api.MapGet("/blocks", ListBlocks).WithName("ListMemoryBlocks")
            .WithSummary("List an agent's memory blocks")
            .WithDescription("Every block of one of the caller's agents, by label: value, limit, version, who changed it last, whether it is "
                + "synced to Letta (`synced`, `pending`, `conflict`, with both sides of a conflict). 404 `agent_not_found`.");
        api.MapGet("/blocks/{label}", GetBlock).WithName("GetMemoryBlock")
            .WithSummary("Get a memory block")
            .WithDescription("The block, with its version as the `ETag` to send back in `If-Match` when editing it. "
                + "404 `agent_not_found` or `block_not_found`.");
        api.MapPut("/blocks/{label}", UpdateBlock).WithName("UpdateMemoryBlock")
            .WithSummary("Edit a memory block")
            .WithDescription("Saves `value` as the block's next version (author `user`) and pushes it to Letta; a failed push stays `pending` and "
                + "is retried. `If-Match` must carry the version the edit is based on: 428 `if_match_required` without it, 412 `stale_version` "
                + "(with `currentVersion` and the current `ETag`) when the block has changed. 409 `block_in_conflict` until a conflict is resolved; "
                + "422 `invalid_block` for an unknown label, a value over the block's limit or one that looks like a secret; 404 `agent_not_found`.");
        api.MapGet("/blocks/{label}/history", GetHistory).WithName("GetMemoryBlockHistory")
            .WithSummary("List a memory block's versions")
            .WithDescription("Newest first: each version's value, author (`user`, `agent`, `system`), reason and, for the agent's edits, the "
                + "session, run and tool call that made it. Paged with `limit` (1 to 200, default 50) and `cursor`; the next page's cursor is "
                + "in the `X-Next-Cursor` header. 404 `agent_not_found` or `block_not_found`.");
        api.MapGet("/blocks/{label}/diff", GetDiff).WithName("DiffMemoryBlockVersions")
            .WithSummary("Compare two versions of a memory block")
            .WithDescription("A line diff from version `from` to version `to`: each line `equal`, `add` or `remove`. "
                + "404 `agent_not_found`, or `version_not_found` when the block has no such version.");
        api.MapPost("/blocks/{label}/rollback", Rollback).WithName("RollbackMemoryBlock")
            .WithSummary("Roll a memory block back to an earlier version")
            .WithDescription("Saves the value of `version` as a new version (history is never rewritten) and pushes it to Letta. "
                + "404 `agent_not_found`, `block_not_found` or `version_not_found`; 409 `block_in_conflict` until a conflict is resolved.");
        api.MapPost("/blocks/{label}/resolve", ResolveConflict).WithName("ResolveMemoryBlockConflict")
            .WithSummary("Resolve a memory block's conflict")
            .WithDescription("When the caller's edit and the agent's collided, keeps one side (`keep`: `user` or `agent`) or a merged `value` "
                + "(`keep`: `merged`) as the next version and pushes it to Letta. 409 `block_not_in_conflict` when there is nothing to resolve; "
                + "422 `invalid_block` for another `keep` or an invalid merged value; 404 `agent_not_found` or `block_not_found`.");
        api.MapGet("/health", GetHealth).WithName("GetMemoryHealth")
            .WithSummary("Check an agent's memory against its limits and Letta")
            .WithDescription("Per block: size, limit and share of it, last editor, number of versions, sync state, and drift from the block in "
                + "Letta (`none`, `drifted`, `missing`, or `unknown` when Letta cannot be reached, which is not an error). 404 `agent_not_found`.");

        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<BlockResponse>>, ProblemHttpResult>> ListBlocks(
        Guid agentId, ClaimsPrincipal user, AgentDirectory directory, MemorySyncDbContext db, CancellationToken cancellationToken) =>
        await directory.FindAsync(user.GetUserId(), agentId, cancellationToken) is { } agent
            ? TypedResults.Ok(await ListBlocksOfAsync(db, agent, cancellationToken))
            : ApiProblems.AgentNotFound.Result("You have no agent with this id.");

    public static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> GetBlock(
        Guid agentId, string label, ClaimsPrincipal user, HttpResponse response, AgentDirectory directory, MemorySyncDbContext db, CancellationToken cancellationToken) =>
        await directory.FindAsync(user.GetUserId(), agentId, cancellationToken) is { } agent
            ? await GetBlockOfAsync(db, agent, label, response, cancellationToken)
            : ApiProblems.AgentNotFound.Result("You have no agent with this id.");

    public static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> UpdateBlock(
        Guid agentId,
        string label,
        UpdateBlockRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        ClaimsPrincipal user,
        HttpResponse response,
        AgentDirectory directory,
        BlockEdits edits,
        MemorySyncDbContext db,
        CancellationToken cancellationToken) =>
        await directory.FindAsync(user.GetUserId(), agentId, cancellationToken) is { } agent
            ? await UpdateBlockOfAsync(agent, label, request, ifMatch, response, edits, db, cancellationToken)
            : ApiProblems.AgentNotFound.Result("You have no agent with this id.");

    public static async Task<Results<Ok<IReadOnlyList<VersionResponse>>, ValidationProblem, ProblemHttpResult>> GetHistory(
        Guid agentId,
        string label,
        int? limit,
        string? cursor,
        ClaimsPrincipal user,
        HttpResponse response,
        AgentDirectory directory,
        MemorySyncDbContext db,
        CancellationToken cancellationToken)
    {
        if (!Pagination.TryRead<int>(limit, cursor, out var paging, out var problem))
        {
            return problem;
        }

        return await directory.FindAsync(user.GetUserId(), agentId, cancellationToken) is { } agent
            ? await GetHistoryOfAsync(db, agent, label, paging, response, cancellationToken)
            : ApiProblems.AgentNotFound.Result("You have no agent with this id.");
    }

    public static async Task<Results<Ok<DiffResponse>, ProblemHttpResult>> GetDiff(
        Guid agentId, string label, int from, int to, ClaimsPrincipal user, AgentDirectory directory, MemorySyncDbContext db, CancellationToken cancellationToken) =>
        await directory.FindAsync(user.GetUserId(), agentId, cancellationToken) is { } agent
            ? await GetDiffOfAsync(db, agent, label, from, to, cancellationToken)
            : ApiProblems.AgentNotFound.Result("You have no agent with this id.");

    public static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> Rollback(
        Guid agentId, string label, RollbackRequest request, ClaimsPrincipal user, HttpResponse response, AgentDirectory directory, BlockEdits edits, MemorySyncDbContext db, CancellationToken cancellationToken) =>
        await directory.FindAsync(user.GetUserId(), agentId, cancellationToken) is { } agent
            ? await RollbackOfAsync(agent, label, request, response, edits, db, cancellationToken)
            : ApiProblems.AgentNotFound.Result("You have no agent with this id.");

    public static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> ResolveConflict(
        Guid agentId, string label, ResolveConflictRequest request, ClaimsPrincipal user, HttpResponse response, AgentDirectory directory, BlockEdits edits, MemorySyncDbContext db, CancellationToken cancellationToken) =>
        await directory.FindAsync(user.GetUserId(), agentId, cancellationToken) is { } agent
            ? await ToHttpAsync(agent, await edits.ResolveAsync(agent, label, request.Keep ?? "", request.Value, cancellationToken), label, response, db, cancellationToken)
            : ApiProblems.AgentNotFound.Result("You have no agent with this id.");

    // The work of each route on the blocks of an agent, or of a project (ProjectMemoryApi): the same rules for both.

    internal static async Task<IReadOnlyList<BlockResponse>> ListBlocksOfAsync(MemorySyncDbContext db, MemoryAgent owner, CancellationToken cancellationToken)
    {
        var blocks = await db.BlocksOf(owner).AsNoTracking().OrderBy(b => b.Label).ToListAsync(cancellationToken);
        var responses = new List<BlockResponse>(blocks.Count);
        foreach (var block in blocks)
        {
            responses.Add(await ToResponseAsync(db, owner, block, cancellationToken));
        }

        return responses;
    }

    internal static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> GetBlockOfAsync(
        MemorySyncDbContext db, MemoryAgent owner, string label, HttpResponse response, CancellationToken cancellationToken)
    {
        var block = await db.BlocksOf(owner).AsNoTracking().SingleOrDefaultAsync(b => b.Label == label, cancellationToken);
        if (block is null)
        {
            return ApiProblems.BlockNotFound.Result($"There is no block '{label}' here.");
        }

        SetETag(response, block.CurrentVersion);
        return TypedResults.Ok(await ToResponseAsync(db, owner, block, cancellationToken));
    }

    internal static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> UpdateBlockOfAsync(
        MemoryAgent owner, string label, UpdateBlockRequest request, string? ifMatch, HttpResponse response, BlockEdits edits, MemorySyncDbContext db, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return ApiProblems.IfMatchRequired.Result("Send If-Match with the block's version (its ETag) so that a concurrent change is not overwritten.");
        }

        var expected = ParseVersion(ifMatch);
        var result = await edits.EditAsync(owner, label, expected ?? -1, request.Value, cancellationToken);
        return await ToHttpAsync(owner, result, label, response, db, cancellationToken);
    }

    internal static async Task<Results<Ok<IReadOnlyList<VersionResponse>>, ValidationProblem, ProblemHttpResult>> GetHistoryOfAsync(
        MemorySyncDbContext db, MemoryAgent owner, string label, PageQuery<int> paging, HttpResponse response, CancellationToken cancellationToken)
    {
        var block = await db.BlocksOf(owner).AsNoTracking().SingleOrDefaultAsync(b => b.Label == label, cancellationToken);
        if (block is null)
        {
            return ApiProblems.BlockNotFound.Result($"There is no block '{label}' here.");
        }

        // Newest first; the cursor is the version to continue below.
        var take = paging.Limit;
        var below = paging.HasPosition ? paging.Position : int.MaxValue;
        var versions = await db.Versions.AsNoTracking()
            .Where(v => v.BlockId == block.Id && v.Version < below)
            .OrderByDescending(v => v.Version)
            .Take(take + 1)
            .ToListAsync(cancellationToken);
        if (versions.Count > take)
        {
            versions.RemoveAt(take);
            response.Headers["X-Next-Cursor"] = Pagination.Encode(versions[^1].Version);
        }

        var ownerUserId = owner.UserId;
        var shared = block.LettaBlockId is not null;
        return TypedResults.Ok<IReadOnlyList<VersionResponse>>([.. versions.Select(v => ToResponse(v, ownerUserId, shared))]);
    }

    internal static async Task<Results<Ok<DiffResponse>, ProblemHttpResult>> GetDiffOfAsync(
        MemorySyncDbContext db, MemoryAgent owner, string label, int from, int to, CancellationToken cancellationToken)
    {
        var blockIds = db.BlocksOf(owner).Where(b => b.Label == label).Select(b => b.Id);
        var versions = await db.Versions.AsNoTracking()
            .Where(v => blockIds.Contains(v.BlockId) && (v.Version == from || v.Version == to))
            .ToDictionaryAsync(v => v.Version, v => v.Value, cancellationToken);
        if (!versions.TryGetValue(from, out var fromValue))
        {
            return ApiProblems.VersionNotFound.Result($"The block has no version {from}.");
        }

        if (!versions.TryGetValue(to, out var toValue))
        {
            return ApiProblems.VersionNotFound.Result($"The block has no version {to}.");
        }

        return TypedResults.Ok(new DiffResponse(from, to, LineDiff.Compute(fromValue, toValue)));
    }

    internal static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> RollbackOfAsync(
        MemoryAgent owner, string label, RollbackRequest request, HttpResponse response, BlockEdits edits, MemorySyncDbContext db, CancellationToken cancellationToken)
    {
        var version = request.Version!.Value;
        var result = await edits.RollbackAsync(owner, label, version, cancellationToken);
        return result.Status == EditStatus.VersionNotFound
            ? ApiProblems.VersionNotFound.Result($"The block has no version {version}.")
            : await ToHttpAsync(owner, result, label, response, db, cancellationToken);
    }

    public static async Task<Results<Ok<AgentHealthResponse>, ProblemHttpResult>> GetHealth(
        Guid agentId, ClaimsPrincipal user, AgentDirectory directory, MemorySyncDbContext db, ILettaClientFactory letta, CancellationToken cancellationToken)
    {
        var agent = await directory.FindAsync(user.GetUserId(), agentId, cancellationToken);
        if (agent is null)
        {
            return ApiProblems.AgentNotFound.Result("You have no agent with this id.");
        }

        var blocks = await db.BlocksOf(agent).AsNoTracking().OrderBy(b => b.Label).ToListAsync(cancellationToken);
        var blockIds = blocks.Select(b => b.Id).ToList();
        var versionCounts = await db.Versions.Where(v => blockIds.Contains(v.BlockId))
            .GroupBy(v => v.Label).Select(g => new { Label = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Label, x => x.Count, cancellationToken);

        Dictionary<string, string>? inLetta = null;
        var lettaStatus = LettaStatuses.Ok;
        try
        {
            inLetta = (await letta.CreateClient(agent.LettaInstance).ListAgentBlocksAsync(agent.LettaAgentId, cancellationToken))
                .Where(b => b.Label is not null)
                .ToDictionary(b => b.Label!, b => b.Value);
        }
        catch (LettaNotFoundException)
        {
            // Letta answered, without the agent: agent-management re-creates it, with this memory, on its next use.
            lettaStatus = LettaStatuses.AgentMissing;
        }
        catch (Exception ex) when (ex is LettaException or ArgumentException)
        {
            // Health is still worth showing without Letta; drift is then "unknown".
            lettaStatus = LettaStatuses.Unreachable;
        }

        var health = blocks.Select(b =>
        {
            string? lettaValue = null;
            var drift = lettaStatus == LettaStatuses.AgentMissing ? "agent_missing"
                : inLetta is null ? "unknown"
                : !inLetta.TryGetValue(b.Label, out lettaValue) ? "missing"
                : lettaValue == b.Value || lettaValue == b.LettaValue ? "none"
                : "drifted";
            return new BlockHealth(
                b.Label,
                b.Value.Length,
                b.Limit,
                b.Limit > 0 ? Math.Round((double)b.Value.Length / b.Limit, 4) : 0,
                b.UpdatedBy,
                b.UpdatedAt,
                versionCounts.GetValueOrDefault(b.Label),
                b.SyncState,
                drift,
                lettaValue?.Length);
        }).ToList();

        return TypedResults.Ok(new AgentHealthResponse(agent.Id, agent.LettaInstance, agent.LettaAgentId, lettaStatus != LettaStatuses.Unreachable, lettaStatus, health));
    }

    /// <summary>The block as the API shows it through <paramref name="owner"/>'s routes (an agent's or a project's).</summary>
    internal static async Task<BlockResponse> ToResponseAsync(MemorySyncDbContext db, MemoryAgent owner, MemoryBlock block, CancellationToken cancellationToken)
    {
        BlockConflict? conflict = null;
        if (block is { SyncState: SyncStates.Conflict, ConflictUserVersion: { } userVersion, ConflictAgentVersion: { } agentVersion })
        {
            var values = await db.Versions.AsNoTracking()
                .Where(v => v.BlockId == block.Id && (v.Version == userVersion || v.Version == agentVersion))
                .ToDictionaryAsync(v => v.Version, v => v.Value, cancellationToken);
            conflict = new BlockConflict(userVersion, values.GetValueOrDefault(userVersion, ""), agentVersion, values.GetValueOrDefault(agentVersion, ""));
        }

        // A shared block belongs to the project's row, whose id is the project's: another owner than a member agent.
        Guid? project = block.AgentId != owner.Id ? block.AgentId : owner.IsProject ? owner.Id : null;
        return new BlockResponse(block.Label, block.Value, block.Limit, block.CurrentVersion, block.UpdatedBy, block.UpdatedAt, block.SyncState, conflict, block.LastPushError, project);
    }

    private static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> ToHttpAsync(
        MemoryAgent owner, EditResult result, string label, HttpResponse response, MemorySyncDbContext db, CancellationToken cancellationToken)
    {
        switch (result.Status)
        {
            case EditStatus.Ok:
                SetETag(response, result.Block!.CurrentVersion);
                return TypedResults.Ok(await ToResponseAsync(db, owner, result.Block, cancellationToken));
            case EditStatus.UnknownBlock when result.Errors is not null:
                return InvalidBlock(result.Errors);
            case EditStatus.UnknownBlock:
                return ApiProblems.BlockNotFound.Result($"The agent has no block '{label}'.");
            case EditStatus.Stale:
                SetETag(response, result.Block!.CurrentVersion);
                return ApiProblems.StaleVersion.Result(
                    $"The block has changed; its current version is {result.Block.CurrentVersion}. Reload it and apply your edit again.",
                    new Dictionary<string, object?> { ["currentVersion"] = result.Block.CurrentVersion });
            case EditStatus.InConflict:
                return ApiProblems.BlockInConflict.Result($"Block '{label}' has a conflict between your edit and the agent's; resolve it first (POST …/blocks/{label}/resolve).");
            case EditStatus.NotInConflict:
                return ApiProblems.BlockNotInConflict.Result($"Block '{label}' has no conflict to resolve.");
            case EditStatus.Invalid:
                return InvalidBlock(result.Errors!);
            default:
                throw new InvalidOperationException($"Unexpected edit status {result.Status}.");
        }
    }

    /// <summary>Who made the version: the agent (its id: the block's own agent, or for a shared block the agent whose turn or route it was) or the person.</summary>
    private static VersionResponse ToResponse(BlockVersion v, string ownerUserId, bool shared) => new(
        v.Version,
        v.Value,
        v.Author,
        v.Reason,
        v.SessionId is null && v.RunId is null && v.ToolCallId is null ? null : new VersionSource(v.SessionId, v.RunId, v.ToolCallId),
        v.CreatedAt,
        v.ActorAgentId ?? (shared ? null : v.AgentId),
        v.Author == Authors.User ? ownerUserId : null);

    private static void SetETag(HttpResponse response, int version) => response.Headers.ETag = $"\"{version}\"";

    /// <summary>
    /// Accepts <c>"3"</c> (or a bare <c>3</c>). If-Match compares strongly (RFC 9110 §13.1.1), so a
    /// weak tag such as <c>W/"3"</c>, like anything else, matches no version and the write answers 412.
    /// </summary>
    private static int? ParseVersion(string ifMatch)
    {
        var tag = ifMatch.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            return null;
        }

        if (tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"')
        {
            tag = tag[1..^1];
        }

        return int.TryParse(tag, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : null;
    }

    private static ProblemHttpResult InvalidBlock(IDictionary<string, string[]> errors) =>
        ApiProblems.InvalidBlock.Result(
            string.Join(" ", errors.SelectMany(e => e.Value)),
            new Dictionary<string, object?> { ["errors"] = errors });
}
