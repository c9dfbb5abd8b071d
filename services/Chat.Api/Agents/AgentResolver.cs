using LettaPlatform.AgentManagement.Client;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.ServiceDefaults.Problems;

namespace LettaPlatform.Chat.Api.Agents;

/// <summary>
/// The agent of a session, from <see cref="AgentDirectoryClient"/>, answered the way chat answers a person:
/// no such agent (or template) is a 404 problem, agent-management not answering a 503 with <c>Retry-After</c>, and
/// an agent Letta lost that cannot be restored yet (Letta unreachable) a 503 <c>letta_unavailable</c>.
/// </summary>
public sealed class AgentResolver(AgentDirectoryClient directory)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Resolves by template (in a project, when given), provisioning the agent on first use.</summary>
    public async Task<AgentResolved> ResolveByTemplateAsync(string userId, string templateId, string? projectId, CancellationToken cancellationToken) =>
        await AskAsync(() => directory.ResolveByTemplateAsync(userId, templateId, projectId, cancellationToken))
            ?? throw ApiProblems.AgentNotFound.Exception($"There is no template '{templateId}' to start an agent from.");

    public async Task<AgentResolved> ResolveAsync(string userId, Guid agentId, CancellationToken cancellationToken) =>
        await AskAsync(() => directory.FindAsync(userId, agentId, cancellationToken))
            ?? throw ApiProblems.AgentNotFound.Exception("There is no such agent.");

    /// <summary>Re-resolves after Letta answered 404 for the agent: agent-management checks Letta and re-provisions a lost agent.</summary>
    public async Task<AgentResolved> ResolveMissingAsync(string userId, Guid agentId, CancellationToken cancellationToken) =>
        await AskAsync(() => directory.ResolveMissingAsync(userId, agentId, cancellationToken))
            ?? throw ApiProblems.AgentNotFound.Exception("There is no such agent any more.");

    private static async Task<AgentResolved?> AskAsync(Func<Task<AgentResolved?>> ask)
    {
        try
        {
            return await ask();
        }
        catch (AgentManagementUnavailableException ex)
        {
            throw ApiProblems.AgentManagementUnavailable.Exception("agent-management did not answer; try again shortly.", RetryAfter, ex);
        }
        catch (AgentRuntimeUnavailableException ex)
        {
            throw ApiProblems.LettaUnavailable.Exception("The agent runtime lost this agent and cannot be reached to restore it yet; nothing was sent. Try again shortly.", RetryAfter, ex);
        }
    }
}
