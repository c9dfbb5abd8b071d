using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Letta;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// The shared memory of a person's project: one <c>project_context</c> block in Letta that every agent of the project
/// holds (attached, not copied), so an edit by any of them, or by the person, is what all of them read next turn.
/// A Letta block lives on one Letta server and can only be attached to agents of that server, so the project's agents
/// are all placed on the instance its first agent got (<see cref="Project.LettaInstance"/>).
/// </summary>
public sealed partial class ProjectMemory(
    AgentManagementDbContext db,
    ILettaClientFactory lettaClients,
    LettaPlacement placement,
    TimeProvider timeProvider,
    ILogger<ProjectMemory> logger)
{
    /// <summary>The person's project an agent's <c>projectId</c> names; null when it names none of theirs (a free-form project id).</summary>
    public async Task<Project?> FindAsync(string userId, string? projectId, CancellationToken cancellationToken) =>
        Guid.TryParse(projectId, out var id)
            ? await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id && p.UserId == userId, cancellationToken)
            : null;

    /// <summary>The instance the project's agents live on: fixed by its first agent (the healthy instance with the fewest agents then).</summary>
    public async Task<string> PlaceAsync(Project project, CancellationToken cancellationToken)
    {
        if (project.LettaInstance is { } placed)
        {
            return placed;
        }

        var chosen = await placement.ChooseAsync(db, cancellationToken);
        // The first to place it wins; a concurrent first agent of the same project reads the winner's choice.
        await db.Projects.Where(p => p.Id == project.Id && p.LettaInstance == null)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.LettaInstance, chosen).SetProperty(p => p.UpdatedAt, timeProvider.GetUtcNow()), cancellationToken);
        return await db.Projects.AsNoTracking().Where(p => p.Id == project.Id).Select(p => p.LettaInstance!).SingleAsync(cancellationToken);
    }

    /// <summary>
    /// The Letta id of the project's shared block, created once on the project's instance (with <paramref name="value"/> when
    /// given: memory-sync's latest version, for a block Letta lost; otherwise the project's initial context). Concurrent
    /// callers take turns on the project's row, so the block is made once. Runs inside the caller's transaction when it has one.
    /// </summary>
    public async Task<string> EnsureBlockAsync(Guid projectId, TemplateBlock? templateBlock, string? value, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await EnsureLockedAsync(projectId, templateBlock, value, cancellationToken);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var blockId = await EnsureLockedAsync(projectId, templateBlock, value, ct);
            await transaction.CommitAsync(ct);
            return blockId;
        }, cancellationToken);
    }

    private async Task<string> EnsureLockedAsync(Guid projectId, TemplateBlock? templateBlock, string? value, CancellationToken cancellationToken)
    {
        var project = await db.Projects.FromSql($"SELECT *, xmin FROM projects WHERE id = {projectId} FOR UPDATE").SingleAsync(cancellationToken);
        var instance = project.LettaInstance ?? throw new InvalidOperationException($"Project {projectId} has no Letta instance yet.");
        var letta = lettaClients.CreateClient(instance);
        if (project.SharedBlockId is { } existing)
        {
            try
            {
                await letta.GetBlockAsync(existing, cancellationToken);
                return existing;
            }
            catch (LettaNotFoundException)
            {
                LogBlockLost(project.Id, instance, existing);
            }
        }

        var created = await letta.CreateBlockAsync(new CreateBlockRequest
        {
            Label = Project.SharedLabel,
            Value = value ?? project.InitialContext(),
            Limit = templateBlock?.Limit ?? TemplateBlockRequest.DefaultLimit,
            Description = "What this project is about, shared by every agent of the project: each of them reads and may edit this one block.",
            Metadata = new() { ["platform_project_id"] = project.Id.ToString(), ["user_id"] = project.UserId },
        }, cancellationToken);
        project.SharedBlockId = created.Id;
        project.UpdatedAt = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        LogBlockCreated(project.Id, instance, created.Id);
        return created.Id;
    }

    /// <summary>
    /// Makes a Letta agent of the project hold the shared block instead of a private <c>project_context</c> (an imported
    /// Agent File brings a copy): the copy is detached and deleted, the shared block attached.
    /// </summary>
    public static async Task AttachSharedAsync(ILettaClient letta, string lettaAgentId, string sharedBlockId, CancellationToken cancellationToken)
    {
        var blocks = await letta.ListAgentBlocksAsync(lettaAgentId, cancellationToken);
        if (blocks.Any(b => b.Id == sharedBlockId))
        {
            return;
        }

        foreach (var copy in blocks.Where(b => b.Label == Project.SharedLabel))
        {
            await letta.DetachBlockAsync(lettaAgentId, copy.Id, cancellationToken);
            try
            {
                await letta.DeleteBlockAsync(copy.Id, cancellationToken);
            }
            catch (LettaNotFoundException)
            {
            }
        }

        await letta.AttachBlockAsync(lettaAgentId, sharedBlockId, cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "Created the shared project_context block of project {ProjectId} on {Instance} as {BlockId}")]
    private partial void LogBlockCreated(Guid projectId, string instance, string blockId);

    [LoggerMessage(LogLevel.Warning, "The shared block {BlockId} of project {ProjectId} is gone from {Instance}; it is created again")]
    private partial void LogBlockLost(Guid projectId, string instance, string blockId);
}
