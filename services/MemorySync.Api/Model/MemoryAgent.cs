namespace LettaPlatform.MemorySync.Api.Model;

/// <summary>
/// What memory-sync knows of a platform agent: its owner and where it lives in Letta. Filled from
/// agent-management's events (or a <c>ResolveAgent</c> answer), never from agent-management's database.
/// </summary>
public sealed class MemoryAgent
{
    public required Guid Id { get; init; }
    public required string UserId { get; set; }
    public required string LettaInstance { get; set; }
    public required string LettaAgentId { get; set; }
    public string? TemplateId { get; set; }
    public DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset? DeletedAt { get; set; }

    public List<MemoryBlock> Blocks { get; init; } = [];
}
