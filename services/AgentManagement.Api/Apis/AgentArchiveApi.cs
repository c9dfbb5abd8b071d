using System.Security.Claims;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.AgentManagement.Api.Services;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Apis;

/// <summary>Archiving and restoring one agent on demand, and its archive state with the Letta footprint archiving freed.</summary>
public static class AgentArchiveApi
{
    public static IEndpointRouteBuilder MapAgentArchiveApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/agents").WithTags("Agents");

        api.MapGet("/{id:guid}/archive", GetArchive).WithName("GetAgentArchive")
            .WithSummary("Get an agent's archive state and the Letta footprint archiving freed")
            .WithDescription("The caller's agent, or any agent for an `admin`. `footprint` (Agent File bytes, messages, blocks) is the latest "
                + "verified snapshot's, present once one is stored. 404 `agent_not_found` when there is no such agent or it is another user's.");
        api.MapPost("/{id:guid}/archive", ArchiveAgent).WithName("ArchiveAgent")
            .WithSummary("Archive an agent now")
            .WithDescription("Snapshots the agent (Agent File plus every block version memory-sync keeps), proves the snapshot restorable, "
                + "then deletes it from Letta, as the archive worker does for idle agents; answers the agent, archived, with the footprint "
                + "freed. An archived agent answers as it is. The caller's agent, or any agent for an `admin`; 404 `agent_not_found` otherwise. "
                + "409 `provisioning_in_progress` while it is being created; 502 `letta_failed` or 503 when Letta or memory-sync fails "
                + "(the step that failed is resumed by the worker; nothing is deleted before a verified snapshot is stored).");
        api.MapPost("/{id:guid}/restore", RestoreAgent).WithName("RestoreAgent")
            .WithSummary("Restore an archived agent now")
            .WithDescription("Re-creates the agent in Letta from its snapshot with its latest memory, as its next chat turn would; an active "
                + "agent answers as it is. The caller's agent, or any agent for an `admin`; 404 `agent_not_found` otherwise. "
                + "502 `letta_failed` or 503 when Letta fails (it stays archived).");

        return app;
    }

    public static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> GetArchive(
        Guid id, ClaimsPrincipal user, AgentManagementDbContext db, CancellationToken cancellationToken)
    {
        var agent = await FindAsync(db, id, user, cancellationToken);
        return agent is null ? NotFound() : TypedResults.Ok(await WithFootprintAsync(db, agent, cancellationToken));
    }

    public static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> ArchiveAgent(
        Guid id, ClaimsPrincipal user, AgentManagementDbContext db, AgentArchiver archiver, CancellationToken cancellationToken)
    {
        var agent = await FindAsync(db, id, user, cancellationToken);
        if (agent is null)
        {
            return NotFound();
        }

        if (agent.Status == AgentStatus.Provisioning)
        {
            return ApiProblems.ProvisioningInProgress.Result("The agent is still being provisioned; archive it once it is ready.");
        }

        try
        {
            await archiver.TryStartAsync(id, idleBefore: null, cancellationToken);
            agent = await archiver.ContinueAsync(id, cancellationToken);
        }
        catch (AgentMemoryUnavailableException ex)
        {
            return ApiProblems.ServiceUnavailable.Result(ex.Message);
        }
        catch (Exception ex) when (LettaFailures.IsRetryable(ex))
        {
            return LettaFailures.ToProblem(ex);
        }

        return agent is null ? NotFound() : TypedResults.Ok(await WithFootprintAsync(db, agent, cancellationToken));
    }

    public static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> RestoreAgent(
        Guid id, ClaimsPrincipal user, AgentManagementDbContext db, AgentRestorer restorer, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, id, user, cancellationToken) is null)
        {
            return NotFound();
        }

        try
        {
            var agent = await restorer.RestoreAsync(id, cancellationToken);
            return agent is null ? NotFound() : TypedResults.Ok(AgentResponse.From(agent));
        }
        catch (Exception ex) when (LettaFailures.IsRetryable(ex))
        {
            return LettaFailures.ToProblem(ex);
        }
    }

    /// <summary>The agent when the caller owns it or is an admin; another user's agent is as absent as one that does not exist.</summary>
    private static Task<AgentConfig?> FindAsync(AgentManagementDbContext db, Guid id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var agents = db.AgentConfigs.AsNoTracking().Where(a => a.Id == id);
        if (!user.IsInRole(Roles.Admin))
        {
            var userId = user.GetUserId();
            agents = agents.Where(a => a.UserId == userId);
        }

        return agents.SingleOrDefaultAsync(cancellationToken);
    }

    private static async Task<AgentResponse> WithFootprintAsync(AgentManagementDbContext db, AgentConfig agent, CancellationToken cancellationToken)
    {
        var footprint = await db.Archives.AsNoTracking().Where(a => a.AgentId == agent.Id).OrderByDescending(a => a.CreatedAt)
            .Select(a => new ArchiveFootprint(a.Id, a.AgentFileBytes, a.MessageCount, a.BlockCount, a.VerifiedAt))
            .FirstOrDefaultAsync(cancellationToken);
        return AgentResponse.From(agent) with { Footprint = footprint };
    }

    private static ProblemHttpResult NotFound() => ApiProblems.AgentNotFound.Result("There is no such agent.");
}
