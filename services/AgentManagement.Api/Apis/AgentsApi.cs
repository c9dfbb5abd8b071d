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

        api.MapGet("", ListAgents).WithName("ListAgents");
        api.MapPost("", CreateAgent).WithName("CreateAgent");
        api.MapGet("/{id:guid}", GetAgent).WithName("GetAgent");
        api.MapDelete("/{id:guid}", DeleteAgent).WithName("DeleteAgent");
        api.MapPost("/{id:guid}/move", MoveAgent).WithName("MoveAgent").RequireAuthorization(Policies.Admin);

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

        if (agent.Status != AgentStatus.Active)
        {
            return ApiProblems.ProvisioningInProgress.Result("The agent is still being provisioned; delete it once it is ready.");
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
