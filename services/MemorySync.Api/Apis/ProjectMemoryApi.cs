using System.Security.Claims;
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

/// <summary>
/// A project's shared memory (its <c>project_context</c>): the one block every agent of the project holds, versioned once.
/// The same block is also reachable through each member agent's memory routes; these routes reach it without naming an agent.
/// </summary>
public static class ProjectMemoryApi
{
    private const string NotFound = "You have no project with this id, or none of its agents has been used yet.";

    public static IEndpointRouteBuilder MapProjectMemoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/memory/projects/{projectId:guid}").WithTags("Project memory");

        api.MapGet("/blocks", ListBlocks).WithName("ListProjectMemoryBlocks")
            .WithSummary("List a project's shared memory blocks")
            .WithDescription("The blocks every agent of one of the caller's projects shares (`project_context`), as the agent routes show blocks. "
                + "404 `project_not_found` for another person's project or one none of whose agents exists yet.");
        api.MapGet("/blocks/{label}", GetBlock).WithName("GetProjectMemoryBlock")
            .WithSummary("Get a project's shared block")
            .WithDescription("With its version as the `ETag`. 404 `project_not_found` or `block_not_found`.");
        api.MapPut("/blocks/{label}", UpdateBlock).WithName("UpdateProjectMemoryBlock")
            .WithSummary("Edit a project's shared block")
            .WithDescription("As for an agent's block (If-Match required: 428, 412 `stale_version`, 409 `block_in_conflict`, 422 `invalid_block`): "
                + "the new version is written to the one Letta block, so every agent of the project reads it at its next turn.");
        api.MapGet("/blocks/{label}/history", GetHistory).WithName("GetProjectMemoryBlockHistory")
            .WithSummary("List a project's shared block's versions")
            .WithDescription("Newest first, each with its author and `agentId`: the agent whose turn made it, or through whose memory routes the person "
                + "made it. Paged with `limit` and `cursor` (`X-Next-Cursor`).");
        api.MapGet("/blocks/{label}/diff", GetDiff).WithName("DiffProjectMemoryBlockVersions")
            .WithSummary("Compare two versions of a project's shared block")
            .WithDescription("A line diff from `from` to `to`. 404 `project_not_found` or `version_not_found`.");
        api.MapPost("/blocks/{label}/rollback", Rollback).WithName("RollbackProjectMemoryBlock")
            .WithSummary("Roll a project's shared block back")
            .WithDescription("Saves the value of `version` as a new version and writes it to the one Letta block: every agent of the project reads it "
                + "at its next turn. 404 `project_not_found`, `block_not_found` or `version_not_found`; 409 `block_in_conflict`.");
        api.MapPost("/snapshots", CreateSnapshot).WithName("CreateProjectMemorySnapshot")
            .WithSummary("Take a snapshot of a project's shared blocks")
            .WithDescription("Saves each shared block's value and version (no Agent File: a project has no Letta agent). 404 `project_not_found`.");
        api.MapGet("/snapshots", ListSnapshots).WithName("ListProjectMemorySnapshots")
            .WithSummary("List a project's snapshots")
            .WithDescription("Newest first. 404 `project_not_found`.");
        api.MapPost("/snapshots/{snapshotId:guid}/restore", RestoreSnapshot).WithName("RestoreProjectMemorySnapshot")
            .WithSummary("Restore a project's shared blocks from a snapshot")
            .WithDescription("Each block that differs gets its snapshot value as a new `system` version, written to Letta. 404 `project_not_found` or "
                + "`snapshot_not_found`.");

        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<BlockResponse>>, ProblemHttpResult>> ListBlocks(
        Guid projectId, ClaimsPrincipal user, AgentDirectory directory, MemorySyncDbContext db, CancellationToken cancellationToken) =>
        await directory.FindProjectAsync(user.GetUserId(), projectId, cancellationToken) is { } project
            ? TypedResults.Ok(await MemoryApi.ListBlocksOfAsync(db, project, cancellationToken))
            : ApiProblems.ProjectNotFound.Result(NotFound);

    public static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> GetBlock(
        Guid projectId, string label, ClaimsPrincipal user, HttpResponse response, AgentDirectory directory, MemorySyncDbContext db, CancellationToken cancellationToken) =>
        await directory.FindProjectAsync(user.GetUserId(), projectId, cancellationToken) is { } project
            ? await MemoryApi.GetBlockOfAsync(db, project, label, response, cancellationToken)
            : ApiProblems.ProjectNotFound.Result(NotFound);

    public static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> UpdateBlock(
        Guid projectId,
        string label,
        UpdateBlockRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        ClaimsPrincipal user,
        HttpResponse response,
        AgentDirectory directory,
        BlockEdits edits,
        MemorySyncDbContext db,
        CancellationToken cancellationToken) =>
        await directory.FindProjectAsync(user.GetUserId(), projectId, cancellationToken) is { } project
            ? await MemoryApi.UpdateBlockOfAsync(project, label, request, ifMatch, response, edits, db, cancellationToken)
            : ApiProblems.ProjectNotFound.Result(NotFound);

    public static async Task<Results<Ok<IReadOnlyList<VersionResponse>>, ValidationProblem, ProblemHttpResult>> GetHistory(
        Guid projectId, string label, int? limit, string? cursor, ClaimsPrincipal user, HttpResponse response, AgentDirectory directory, MemorySyncDbContext db,
        CancellationToken cancellationToken)
    {
        if (!Pagination.TryRead<int>(limit, cursor, out var paging, out var problem))
        {
            return problem;
        }

        return await directory.FindProjectAsync(user.GetUserId(), projectId, cancellationToken) is { } project
            ? await MemoryApi.GetHistoryOfAsync(db, project, label, paging, response, cancellationToken)
            : ApiProblems.ProjectNotFound.Result(NotFound);
    }

    public static async Task<Results<Ok<DiffResponse>, ProblemHttpResult>> GetDiff(
        Guid projectId, string label, int from, int to, ClaimsPrincipal user, AgentDirectory directory, MemorySyncDbContext db, CancellationToken cancellationToken) =>
        await directory.FindProjectAsync(user.GetUserId(), projectId, cancellationToken) is { } project
            ? await MemoryApi.GetDiffOfAsync(db, project, label, from, to, cancellationToken)
            : ApiProblems.ProjectNotFound.Result(NotFound);

    public static async Task<Results<Ok<BlockResponse>, ProblemHttpResult>> Rollback(
        Guid projectId, string label, RollbackRequest request, ClaimsPrincipal user, HttpResponse response, AgentDirectory directory, BlockEdits edits,
        MemorySyncDbContext db, CancellationToken cancellationToken) =>
        await directory.FindProjectAsync(user.GetUserId(), projectId, cancellationToken) is { } project
            ? await MemoryApi.RollbackOfAsync(project, label, request, response, edits, db, cancellationToken)
            : ApiProblems.ProjectNotFound.Result(NotFound);

    public static async Task<Results<Created<SnapshotResponse>, ProblemHttpResult>> CreateSnapshot(
        Guid projectId, ClaimsPrincipal user, AgentDirectory directory, Snapshots snapshots, CancellationToken cancellationToken)
    {
        var project = await directory.FindProjectAsync(user.GetUserId(), projectId, cancellationToken);
        if (project is null)
        {
            return ApiProblems.ProjectNotFound.Result(NotFound);
        }

        var snapshot = await snapshots.TakeAsync(project, Snapshots.Manual, cancellationToken);
        return TypedResults.Created($"/api/memory/projects/{projectId}/snapshots/{snapshot.Id}", SnapshotsApi.ToResponse(snapshot));
    }

    public static async Task<Results<Ok<IReadOnlyList<SnapshotResponse>>, ProblemHttpResult>> ListSnapshots(
        Guid projectId, ClaimsPrincipal user, AgentDirectory directory, MemorySyncDbContext db, CancellationToken cancellationToken)
    {
        if (await directory.FindProjectAsync(user.GetUserId(), projectId, cancellationToken) is null)
        {
            return ApiProblems.ProjectNotFound.Result(NotFound);
        }

        var list = await db.Snapshots.AsNoTracking().Include(s => s.Blocks).Where(s => s.AgentId == projectId)
            .OrderByDescending(s => s.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<SnapshotResponse>>([.. list.Select(SnapshotsApi.ToResponse)]);
    }

    public static async Task<Results<Ok<RestoreResponse>, ProblemHttpResult>> RestoreSnapshot(
        Guid projectId, Guid snapshotId, ClaimsPrincipal user, AgentDirectory directory, Snapshots snapshots, MemorySyncDbContext db, CancellationToken cancellationToken)
    {
        var project = await directory.FindProjectAsync(user.GetUserId(), projectId, cancellationToken);
        if (project is null)
        {
            return ApiProblems.ProjectNotFound.Result(NotFound);
        }

        var blocks = await snapshots.RestoreAsync(project, snapshotId, cancellationToken);
        if (blocks is null)
        {
            return ApiProblems.SnapshotNotFound.Result("The project has no such snapshot.");
        }

        var responses = new List<BlockResponse>(blocks.Count);
        foreach (var block in blocks)
        {
            responses.Add(await MemoryApi.ToResponseAsync(db, project, block, cancellationToken));
        }

        return TypedResults.Ok(new RestoreResponse(snapshotId, responses));
    }
}
