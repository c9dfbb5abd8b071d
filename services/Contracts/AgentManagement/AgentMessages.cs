namespace LettaPlatform.Contracts.AgentManagement;

/// <summary>
/// Asks agent-management for the caller's agent: by <see cref="AgentId"/> when the caller knows it,
/// otherwise by (user, template, project), provisioning the agent on first use. Sent as a request to
/// <see cref="AgentManagementQueues.ResolveAgent"/>.
/// </summary>
public record ResolveAgent
{
    public required string UserId { get; init; }
    public Guid? AgentId { get; init; }
    public string? TemplateId { get; init; }
    public string? ProjectId { get; init; }

    /// <summary>
    /// Set by a caller whose turn Letta answered 404 for the agent it was given: agent-management skips its
    /// cache, checks Letta and, if the agent is gone, re-provisions it (publishing <see cref="AgentMigrated"/>).
    /// </summary>
    public bool LettaAgentMissing { get; init; }
}

/// <summary>The agent a <see cref="ResolveAgent"/> asked for, with what a chat turn needs to reach it.</summary>
public record AgentResolved
{
    public required Guid AgentId { get; init; }
    public required string UserId { get; init; }
    public required string TemplateId { get; init; }
    public required int TemplateVersion { get; init; }
    public string? ProjectId { get; init; }
    public required string LettaInstance { get; init; }
    public required string LettaAgentId { get; init; }

    /// <summary>The tools the agent's template may use, each with the template's approval policy.</summary>
    public required IReadOnlyList<AgentTool> Tools { get; init; }

    /// <summary>The project's shared block the agent holds, when it belongs to one of the person's projects.</summary>
    public SharedProjectBlock? ProjectBlock { get; init; }
}

/// <summary>A tool a template allows, and whether each call needs the person's approval first.</summary>
public record AgentTool
{
    public required string Name { get; init; }
    public required bool RequiresApproval { get; init; }
}

/// <summary>Answer to <see cref="ResolveAgent"/> when there is no such agent for that user.</summary>
public record AgentNotFound
{
    public required string UserId { get; init; }
    public Guid? AgentId { get; init; }
    public required string Reason { get; init; }
}

/// <summary>
/// Answer to a <see cref="ResolveAgent"/> with <see cref="ResolveAgent.LettaAgentMissing"/> when the agent's Letta
/// instance could not be reached to check or re-create the agent: nothing changed, and the caller should try
/// again shortly (answering the old mapping would only send the turn back to an agent Letta does not have).
/// </summary>
public record AgentRuntimeUnavailable
{
    public required string UserId { get; init; }
    public required Guid AgentId { get; init; }
    public required string Reason { get; init; }
}

public record AgentProvisioned
{
    public required Guid AgentId { get; init; }
    public required string UserId { get; init; }
    public required string TemplateId { get; init; }
    public required int TemplateVersion { get; init; }
    public string? ProjectId { get; init; }
    public required string LettaInstance { get; init; }
    public required string LettaAgentId { get; init; }
    public required DateTimeOffset ProvisionedAt { get; init; }

    /// <summary>The project's shared block the agent holds, when its <see cref="ProjectId"/> is one of the person's projects.</summary>
    public SharedProjectBlock? ProjectBlock { get; init; }
}

public record AgentDeleted
{
    public required Guid AgentId { get; init; }
    public required string UserId { get; init; }
    public required string LettaInstance { get; init; }
    public required string LettaAgentId { get; init; }
    public required DateTimeOffset DeletedAt { get; init; }
}

/// <summary>
/// The agent now lives at a different Letta agent id or instance: re-created after Letta lost it,
/// or moved by an admin. Memory-sync restores the agent's latest memory onto the new one.
/// </summary>
public record AgentMigrated
{
    public required Guid AgentId { get; init; }
    public required string UserId { get; init; }
    public required string FromLettaInstance { get; init; }
    public required string FromLettaAgentId { get; init; }
    public required string ToLettaInstance { get; init; }
    public required string ToLettaAgentId { get; init; }

    /// <summary><c>reprovisioned</c> (Letta lost the agent) or <c>moved</c> (admin move).</summary>
    public required string Reason { get; init; }
    public required DateTimeOffset MigratedAt { get; init; }

    /// <summary>
    /// The block versions the new Letta agent was created with, from memory-sync's answer to
    /// <c>ReadAgentMemory</c>: Letta already holds them, so memory-sync records them as synced instead of
    /// pushing them. Null when the new agent holds no memory of memory-sync's (a move, whose Agent File
    /// carried Letta's own, or an agent memory-sync did not know yet).
    /// </summary>
    public IReadOnlyList<MemoryBlockVersion>? CreatedWithMemory { get; init; }

    /// <summary>The project's shared block the new Letta agent holds (re-attached, not copied); null for an agent of no project.</summary>
    public SharedProjectBlock? ProjectBlock { get; init; }
}

/// <summary>A block of an agent's memory by label and memory-sync's version number.</summary>
public record MemoryBlockVersion
{
    public required string Label { get; init; }
    public required int Version { get; init; }
}

/// <summary>
/// The memory block an agent shares with the other agents of its project: one Letta block (on the project's Letta
/// instance) attached to every agent of the project. memory-sync versions it once, under the project.
/// </summary>
public record SharedProjectBlock
{
    public required Guid ProjectId { get; init; }
    public required string Label { get; init; }
    public required string LettaBlockId { get; init; }
}
