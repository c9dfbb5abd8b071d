using System.Security.Claims;
using LettaPlatform.MemorySync.Api.Model;
using LettaPlatform.MemorySync.Api.Services;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LettaPlatform.MemorySync.Api.Apis;

/// <summary>Memory analytics: a person's view of their own agent, and the operators' view per template.</summary>
public static class MemoryInsightsApi
{
    private const int DefaultDays = 30;
    private const int MaxDays = 365;

    public static IEndpointRouteBuilder MapMemoryInsightsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/memory/agents/{agentId:guid}/insights", GetAgentInsights)
            .WithTags("Memory")
            .WithName("GetMemoryInsights")
            .WithSummary("Memory insights for one of your agents")
            .WithDescription("For each block over the last `days` (1 to 365, default 30): its size against its limit, how many versions "
                + "the agent, you, rollbacks, restores and the platform wrote, and how many of the agent's edits you undid right after; "
                + "with the insights that suggest an action (`near_limit`, `reverted_edits`, `frequent_agent_edits`, `conflict`, "
                + "`pending_sync`). 400 for `days` out of range; 404 `agent_not_found` for an agent that is not yours.");
        app.MapGet("/api/memory/analytics", GetTemplateAnalytics)
            .WithTags("Memory administration")
            .WithName("GetMemoryAnalytics")
            .WithSummary("Memory analytics per template (admin)")
            .WithDescription("Per template over the last `days` (1 to 365, default 30): live agents and, per block label, how many "
                + "blocks, their average and highest share of limit, how many are near it, versions by who wrote them and agent "
                + "edits people undid, with the insights for operators. 403 without the admin role.")
            .RequireAuthorization(Policies.Admin);

        return app;
    }

    public static async Task<Results<Ok<AgentMemoryInsightsResponse>, ValidationProblem, ProblemHttpResult>> GetAgentInsights(
        Guid agentId, int? days, ClaimsPrincipal user, AgentDirectory directory, MemoryInsights insights, CancellationToken cancellationToken)
    {
        if (!TryReadDays(days, out var period, out var problem))
        {
            return problem;
        }

        var agent = await directory.FindAsync(user.GetUserId(), agentId, cancellationToken);
        if (agent is null)
        {
            return ApiProblems.AgentNotFound.Result("You have no agent with this id.");
        }

        return TypedResults.Ok(await insights.ForAgentAsync(agent, period, cancellationToken));
    }

    public static async Task<Results<Ok<MemoryAnalyticsResponse>, ValidationProblem>> GetTemplateAnalytics(
        int? days, MemoryInsights insights, CancellationToken cancellationToken)
    {
        if (!TryReadDays(days, out var period, out var problem))
        {
            return problem;
        }

        return TypedResults.Ok(await insights.ForTemplatesAsync(period, cancellationToken));
    }

    private static bool TryReadDays(int? days, out int period, out ValidationProblem problem)
    {
        period = days ?? DefaultDays;
        problem = null!;
        if (period is >= 1 and <= MaxDays)
        {
            return true;
        }

        problem = ApiProblems.Validation("days", $"days is the period to look back over: 1 to {MaxDays} (default {DefaultDays}).");
        return false;
    }
}
