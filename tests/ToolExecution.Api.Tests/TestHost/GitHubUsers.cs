using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.ToolExecution.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.ToolExecution.Api.Tests.TestHost;

/// <summary>A new user who connected GitHub (through the API) and an agent of theirs with every tool.</summary>
public sealed record GitHubUser(string UserId, string Token, Guid AgentId);

public static class GitHubUsers
{
    /// <summary>Registers a token for <paramref name="login"/> at the fake GitHub and connects it for a new user, allowing <paramref name="allowed"/>.</summary>
    public static async Task<GitHubUser> ConnectGitHubAsync(this ToolExecutionHost service, string login, params string[] allowed)
    {
        var user = ToolExecutionHost.NewUser();
        var token = $"ghp_{Guid.NewGuid():N}{Guid.NewGuid():N}"[..40];
        service.GitHub.AddToken(token, login);
        using var client = service.CreateClientFor(user);
        using var response = await client.PutAsJsonAsync("/api/integrations/github", new { token, allowedRepositories = allowed }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return new GitHubUser(user, token, service.AddAgentWithAllTools(user));
    }

    /// <summary>The ledger rows of one call, oldest first.</summary>
    public static async Task<List<Model.ToolExecutionEntry>> AuditOfAsync(this ToolExecutionHost service, string userId, string toolCallId)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ToolExecutionDbContext>().ToolExecutions
            .Where(e => e.UserId == userId && e.ToolCallId == toolCallId).OrderBy(e => e.CreatedAt).ToListAsync(TestContext.Current.CancellationToken);
    }

    public static string S(this JsonNode node, string name) => node[name]!.GetValue<string>();

    /// <summary>The text inside <c>{"untrusted_text": …}</c>.</summary>
    public static string Untrusted(this JsonNode node, string name) => node[name]!["untrusted_text"]!.GetValue<string>();
}
