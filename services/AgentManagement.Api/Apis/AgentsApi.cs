using System.Security.Claims;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.AgentManagement.Api.Services;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Paging;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using LettaException = LettaPlatform.Letta.LettaException;

namespace LettaPlatform.AgentManagement.Api.Apis;

public static class AgentsApi
{
    public static IEndpointRouteBuilder MapAgentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/agents").WithTags("Agents");

        api.MapGet("", ListAgents).WithName("ListAgents")
            .WithSummary("List the caller's agents")
            .WithDescription("Oldest first, paged with `limit` (1 to 200, default 50) and `cursor` (the previous page's `nextCursor`).");
        api.MapPost("", CreateAgent).WithName("CreateAgent")
            .WithSummary("Get or create the caller's agent for a template")
            .WithDescription("The caller has one agent per template and `projectId`: the first call creates it in Letta and answers 201, "
                + "later calls (concurrent ones too) answer 200 with that same agent. 400 for an unknown `templateId`; "
                + "503 `no_healthy_letta_instance` or `provisioning_busy` and 502 `letta_failed` may be retried.");
        api.MapGet("/{id:guid}", GetAgent).WithName("GetAgent")
            .WithSummary("Get one of the caller's agents")
            .WithDescription("404 `agent_not_found` when there is no such agent or it is another user's.");
        api.MapDelete("/{id:guid}", DeleteAgent).WithName("DeleteAgent")
            .WithSummary("Delete one of the caller's agents")
            .WithDescription("Deletes the agent in Letta, then here; the other services hear of it and drop its memory. "
                + "An archived agent is deleted with its snapshots. 404 `agent_not_found`; 409 `provisioning_in_progress` while it is still being created, archived or restored, `concurrent_change` when a move "
                + "or rollout changed it meanwhile; 502 `letta_failed` or 503 when Letta fails (nothing is deleted then).");
        api.MapPost("/{id:guid}/move", MoveAgent).WithName("MoveAgent").RequireAuthorization(Policies.Admin)
            .WithSummary("Move an agent to another Letta instance (admin)")
            .WithDescription("Exports the agent (Agent File), imports it on `targetInstance` and deletes it on the source; a failure on the way "
                + "leaves it wholly where it was. Any user's agent; needs the `admin` role. 400 for an unknown target, the instance it is "
                + "already on, or an agent still being provisioned; 404 `agent_not_found`; 502 `letta_failed` or 503 when Letta fails.");

        return app;
    }

    public static async Task<Results<Ok<Page<AgentResponse>>, ValidationProblem>> ListAgents(
        ClaimsPrincipal user, AgentManagementDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Pagination.TryRead<Guid>(limit, cursor, out var paging, out var problem))
        {
            return problem;
        }

        var userId = user.GetUserId();
        var query = db.AgentConfigs.AsNoTracking().Where(a => a.UserId == userId);
        if (paging.HasPosition)
        {
            var afterId = paging.Position;
            query = query.Where(a => a.Id.CompareTo(afterId) > 0);
        }

        // Ids are UUIDv7, so id order is creation order and makes a stable keyset cursor.
        var agents = await query.OrderBy(a => a.Id).Take(paging.Limit + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Pagination.ToPage(agents.Select(AgentResponse.From).ToList(), paging.Limit, a => a.Id));
    }

    public static async Task<Results<Created<AgentResponse>, Ok<AgentResponse>, ValidationProblem, ProblemHttpResult>> CreateAgent(
        CreateAgentRequest request, ClaimsPrincipal user, AgentProvisioner provisioner, AgentManagementDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Templates.AnyAsync(t => t.Id == request.TemplateId, cancellationToken))
        {
            return ApiProblems.Validation("templateId", $"There is no template '{request.TemplateId}'.");
        }

        try
        {
            var (agent, created) = await provisioner.GetOrProvisionAsync(user.GetUserId(), request.TemplateId!, request.ProjectId, cancellationToken);
            var body = AgentResponse.From(agent);
            return created ? TypedResults.Created($"/api/agents/{agent.Id}", body) : TypedResults.Ok(body);
        }
        catch (UnknownTemplateException ex)
        {
            return ApiProblems.Validation("templateId", ex.Message);
        }
        catch (Exception ex) when (LettaFailures.IsRetryable(ex))
        {
            return LettaFailures.ToProblem(ex);
        }
    }

    public static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> GetAgent(
        Guid id, ClaimsPrincipal user, AgentManagementDbContext db, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var agent = await db.AgentConfigs.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.UserId == userId, cancellationToken);
        return agent is null ? ApiProblems.AgentNotFound.Result("There is no such agent.") : TypedResults.Ok(AgentResponse.From(agent));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAgent(
        Guid id, ClaimsPrincipal user, AgentManagementDbContext db, AgentProvisioner provisioner, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var agent = await db.AgentConfigs.SingleOrDefaultAsync(a => a.Id == id && a.UserId == userId, cancellationToken);
        if (agent is null)
        {
            return ApiProblems.AgentNotFound.Result("There is no such agent.");
        }

        if (agent.Status is not (AgentStatus.Active or AgentStatus.Archived))
        {
            return ApiProblems.ProvisioningInProgress.Result($"The agent is {agent.Status.ToString().ToLowerInvariant()}; delete it once that is done.");
        }

        try
        {
            await provisioner.DeleteAsync(agent, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiProblems.ConcurrentChange.Result("The agent changed while it was being deleted (a move or rollout); try again.");
        }
        catch (Exception ex) when (LettaFailures.IsRetryable(ex))
        {
            return LettaFailures.ToProblem(ex);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<AgentResponse>, ValidationProblem, ProblemHttpResult>> MoveAgent(
        Guid id, MoveAgentRequest request, AgentMover mover, CancellationToken cancellationToken)
    {
        try
        {
            var agent = await mover.MoveAsync(id, request.TargetInstance!, cancellationToken);
            return agent is null ? ApiProblems.AgentNotFound.Result("There is no such agent.") : TypedResults.Ok(AgentResponse.From(agent));
        }
        catch (MoveRejectedException ex)
        {
            return ApiProblems.Validation(ex.Field, ex.Message);
        }
        catch (Exception ex) when (LettaFailures.IsRetryable(ex))
        {
            return LettaFailures.ToProblem(ex);
        }
    }
}

/// <summary>Failures of Letta or of a concurrent provisioning, which the caller may retry.</summary>
internal static class LettaFailures
{
    public static bool IsRetryable(Exception exception) =>
        exception is NoHealthyLettaInstanceException or ProvisioningInProgressException or LettaException;

    public static ProblemHttpResult ToProblem(Exception exception) => exception switch
    {
        NoHealthyLettaInstanceException => ApiProblems.NoHealthyLettaInstance.Result(exception.Message),
        ProvisioningInProgressException => ApiProblems.ProvisioningBusy.Result(exception.Message),
        LettaException letta => ApiProblems.LettaFailed.Result($"Letta failed: {letta.Message}"),
        _ => throw new ArgumentOutOfRangeException(nameof(exception), exception, "Not a retryable failure."),
    };
}
