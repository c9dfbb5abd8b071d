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
            .WithName("GetMemoryInsights");
        app.MapGet("/api/memory/analytics", GetTemplateAnalytics)
            .WithTags("Memory administration")
            .WithName("GetMemoryAnalytics")
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
