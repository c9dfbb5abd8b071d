namespace LettaPlatform.AgentManagement.Api.Model;

/// <summary>
/// A person's agent: one per (user, template, project). The row is claimed first (status
/// <see cref="AgentStatus.Provisioning"/>) and only its claimer creates the Letta agent.
/// </summary>
public sealed class AgentConfig
{
    public required Guid Id { get; init; }

    public required string UserId { get; init; }

    public required string TemplateId { get; init; }

    public string? ProjectId { get; init; }

    public required int TemplateVersion { get; set; }

    public required string LettaInstance { get; set; }

    public string? LettaAgentId { get; set; }

    public required AgentStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the current claim started; a claim older than the provisioning lease may be taken over.</summary>
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>PostgreSQL's xmin: concurrent writers of the same row conflict instead of overwriting each other.</summary>
    public uint RowVersion { get; set; }
}

public enum AgentStatus
{
    Provisioning,
    Active,
}
