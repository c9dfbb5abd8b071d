namespace LettaPlatform.AgentManagement.Api.Model;

/// <summary>
/// A person's project: the agents they use for it (<see cref="AgentConfig.ProjectId"/> = this id) share one
/// <c>project_context</c> memory block. A Letta block belongs to one Letta server, so the project's agents all live
/// on one instance (<see cref="LettaInstance"/>, fixed when its first agent is placed) and hold that same block
/// (<see cref="SharedBlockId"/>, created with its first agent).
/// </summary>
public sealed class Project
{
    /// <summary>The label of the block the project's agents share.</summary>
    public const string SharedLabel = "project_context";

    public const int MaxNameLength = 100;

    public required Guid Id { get; init; }

    public required string UserId { get; init; }

    public required string Name { get; set; }

    /// <summary>The GitHub repository the project is about, <c>owner/name</c>; optional.</summary>
    public string? Repository { get; set; }

    /// <summary>The Letta instance every agent of the project lives on; null until its first agent.</summary>
    public string? LettaInstance { get; set; }

    /// <summary>The Letta id of the shared <c>project_context</c> block on <see cref="LettaInstance"/>; null until its first agent.</summary>
    public string? SharedBlockId { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public uint RowVersion { get; set; }

    /// <summary>The block's first value, before any agent or person edits it.</summary>
    public string InitialContext() =>
        Repository is null ? $"Project: {Name}" : $"Project: {Name}\nRepository: {Repository}";
}
