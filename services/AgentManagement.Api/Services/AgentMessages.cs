using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.MemorySync;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// The one place agent-management builds its messages about an agent, each from the agent's row as it is
/// after the change: the answer to <see cref="ResolveAgent"/> and the events it publishes through the outbox.
/// </summary>
public static class AgentMessages
{
    /// <summary><see cref="AgentMigrated.Reason"/> when Letta lost the agent and it was created again.</summary>
    public const string Reprovisioned = "reprovisioned";

    /// <summary><see cref="AgentMigrated.Reason"/> when an archived agent was re-created from its snapshot.</summary>
    public const string Restored = "restored";

    /// <summary><see cref="AgentMigrated.Reason"/> when an admin moved the agent to another Letta instance.</summary>
    public const string Moved = "moved";

    public static AgentResolved Resolved(AgentConfig agent, AgentTemplateVersion version) => new()
    {
        AgentId = agent.Id,
        UserId = agent.UserId,
        TemplateId = agent.TemplateId,
        TemplateVersion = agent.TemplateVersion,
        ProjectId = agent.ProjectId,
        LettaInstance = agent.LettaInstance,
        LettaAgentId = agent.LettaAgentId!,
        Tools = version.Tools.Select(t => new AgentTool { Name = t.Name, RequiresApproval = t.RequiresApproval }).ToList(),
        ProjectBlock = ProjectBlock(agent),
    };

    /// <summary>The project's shared block the agent holds, or null.</summary>
    public static SharedProjectBlock? ProjectBlock(AgentConfig agent) =>
        agent.ProjectBlockId is { } blockId && Guid.TryParse(agent.ProjectId, out var projectId)
            ? new SharedProjectBlock { ProjectId = projectId, Label = Project.SharedLabel, LettaBlockId = blockId }
            : null;

    public static AgentProvisioned Provisioned(AgentConfig agent) => new()
    {
        AgentId = agent.Id,
        UserId = agent.UserId,
        TemplateId = agent.TemplateId,
        TemplateVersion = agent.TemplateVersion,
        ProjectId = agent.ProjectId,
        LettaInstance = agent.LettaInstance,
        LettaAgentId = agent.LettaAgentId!,
        ProvisionedAt = agent.UpdatedAt,
        ProjectBlock = ProjectBlock(agent),
    };

    /// <summary>
    /// The agent now lives where its row says; it lived on <paramref name="fromInstance"/> as <paramref name="fromLettaAgentId"/>.
    /// <paramref name="createdWithMemory"/>: the block versions memory-sync gave for the new agent, when it was created with them.
    /// </summary>
    public static AgentMigrated Migrated(
        AgentConfig agent, string fromInstance, string fromLettaAgentId, string reason, IReadOnlyList<AgentMemoryBlock>? createdWithMemory = null) => new()
    {
        AgentId = agent.Id,
        UserId = agent.UserId,
        FromLettaInstance = fromInstance,
        FromLettaAgentId = fromLettaAgentId,
        ToLettaInstance = agent.LettaInstance,
        ToLettaAgentId = agent.LettaAgentId!,
        Reason = reason,
        MigratedAt = agent.UpdatedAt,
        CreatedWithMemory = createdWithMemory?.Select(b => new MemoryBlockVersion { Label = b.Label, Version = b.Version }).ToList(),
        ProjectBlock = ProjectBlock(agent),
    };

    public static AgentDeleted Deleted(AgentConfig agent, DateTimeOffset deletedAt) => new()
    {
        AgentId = agent.Id,
        UserId = agent.UserId,
        LettaInstance = agent.LettaInstance,
        LettaAgentId = agent.LettaAgentId ?? "",
        DeletedAt = deletedAt,
    };
}
