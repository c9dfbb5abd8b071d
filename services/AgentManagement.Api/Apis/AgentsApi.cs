using System.Security.Claims;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.AgentManagement.Api.Services;
using LettaPlatform.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Apis;

public static class AgentsApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

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
        var pageSize = limit ?? DefaultPageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            return Problems.Validation("limit", $"limit must be between 1 and {MaxPageSize}.");
        }

        Guid? after = null;
        if (cursor is not null)
        {
            if (!Cursor.TryDecode(cursor, out var decoded))
            {
                return Problems.Validation("cursor", "The cursor is not valid.");
            }

            after = decoded;
        }

        var userId = user.GetUserId();
        var query = db.AgentConfigs.AsNoTracking().Where(a => a.UserId == userId);
        if (after is { } afterId)
        {
            query = query.Where(a => a.Id.CompareTo(afterId) > 0);
        }

        // Ids are UUIDv7, so id order is creation order and makes a stable keyset cursor.
        var agents = await query.OrderBy(a => a.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var next = agents.Count > pageSize ? Cursor.Encode(agents[pageSize - 1].Id) : null;
        return TypedResults.Ok(new Page<AgentResponse>(agents.Take(pageSize).Select(AgentResponse.From).ToList(), next));
    }

    public static async Task<Results<Created<AgentResponse>, Ok<AgentResponse>, ValidationProblem, ProblemHttpResult>> CreateAgent(
        CreateAgentRequest? request, ClaimsPrincipal user, AgentProvisioner provisioner, AgentManagementDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request?.TemplateId))
        {
            errors["templateId"] = ["templateId is required."];
        }
        else if (!await db.Templates.AnyAsync(t => t.Id == request.TemplateId, cancellationToken))
        {
            errors["templateId"] = [$"There is no template '{request.TemplateId}'."];
        }

        if (request?.ProjectId is { } projectId && (string.IsNullOrWhiteSpace(projectId) || projectId.Length > 200))
        {
            errors["projectId"] = ["projectId, when given, must be 1 to 200 characters."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        try
        {
            var (agent, created) = await provisioner.GetOrProvisionAsync(user.GetUserId(), request!.TemplateId!, request.ProjectId, cancellationToken);
            var body = AgentResponse.From(agent);
            return created ? TypedResults.Created($"/api/agents/{agent.Id}", body) : TypedResults.Ok(body);
        }
        catch (UnknownTemplateException ex)
        {
            return Problems.Validation("templateId", ex.Message);
        }
        catch (Exception ex) when (Problems.IsUnavailable(ex))
        {
            return Problems.Unavailable(ex);
        }
    }

    public static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> GetAgent(
        Guid id, ClaimsPrincipal user, AgentManagementDbContext db, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var agent = await db.AgentConfigs.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.UserId == userId, cancellationToken);
        return agent is null ? Problems.NotFound("The agent") : TypedResults.Ok(AgentResponse.From(agent));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAgent(
        Guid id, ClaimsPrincipal user, AgentManagementDbContext db, AgentProvisioner provisioner, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var agent = await db.AgentConfigs.SingleOrDefaultAsync(a => a.Id == id && a.UserId == userId, cancellationToken);
        if (agent is null)
        {
            return Problems.NotFound("The agent");
        }

        if (agent.Status != AgentStatus.Active)
        {
            return Problems.Conflict("The agent is still being provisioned; delete it once it is ready.", "provisioning_in_progress");
        }

        try
        {
            await provisioner.DeleteAsync(agent, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("The agent changed while it was being deleted (a move or rollout); try again.", "concurrent_change");
        }
        catch (Exception ex) when (Problems.IsUnavailable(ex))
        {
            return Problems.Unavailable(ex);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<AgentResponse>, ValidationProblem, ProblemHttpResult>> MoveAgent(
        Guid id, MoveAgentRequest? request, AgentMover mover, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.TargetInstance))
        {
            return Problems.Validation("targetInstance", "targetInstance is required.");
        }

        try
        {
            var agent = await mover.MoveAsync(id, request.TargetInstance, cancellationToken);
            return agent is null ? Problems.NotFound("The agent") : TypedResults.Ok(AgentResponse.From(agent));
        }
        catch (MoveRejectedException ex)
        {
            return Problems.Validation(ex.Field, ex.Message, "move_rejected");
        }
        catch (Exception ex) when (Problems.IsUnavailable(ex))
        {
            return Problems.Unavailable(ex);
        }
    }
}

/// <summary>Opaque page cursors: the last id of the previous page, base64url-encoded.</summary>
internal static class Cursor
{
    public static string Encode(Guid id) => Convert.ToBase64String(id.ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string cursor, out Guid id)
    {
        id = default;
        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        var bytes = new byte[16];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != 16)
        {
            return false;
        }

        id = new Guid(bytes);
        return true;
    }
}
