using System.Text.Json.Serialization;

namespace LettaPlatform.AgentManagement.Api.Model;

/// <summary>A template agents are made from. <see cref="ActiveVersion"/> is what new agents get; a rollout moves it.</summary>
public sealed class AgentTemplate
{
    public required string Id { get; init; }

    public required int ActiveVersion { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public List<AgentTemplateVersion> Versions { get; init; } = [];
}

/// <summary>One immutable published version of a template.</summary>
public sealed class AgentTemplateVersion
{
    public required string TemplateId { get; init; }

    public required int Version { get; init; }

    public required string Name { get; init; }

    public required string Description { get; init; }

    public required string SystemPrompt { get; init; }

    public required List<TemplateBlock> Blocks { get; init; }

    public required List<TemplateTool> Tools { get; init; }

    public required List<string> Tags { get; init; }

    public DateTimeOffset PublishedAt { get; init; }

    public required string PublishedBy { get; init; }

    public TemplateBlock? FindBlock(string label) => Blocks.FirstOrDefault(b => b.Label == label);
}

/// <summary>A memory block a template starts its agents with.</summary>
public sealed record TemplateBlock(string Label, string Value, int Limit, string Description)
{
    /// <summary>
    /// Blocks that hold what the person told the agent (or what it learned about them and their project).
    /// A rollout adds them when missing but never writes over them.
    /// </summary>
    public static readonly IReadOnlySet<string> UserOwnedLabels = new HashSet<string>(StringComparer.Ordinal) { "human", "preferences", "project_context" };

    [JsonIgnore]
    public bool IsUserOwned => UserOwnedLabels.Contains(Label);
}

/// <summary>A tool a template's agents may call, with whether each call needs the person's approval.</summary>
public sealed record TemplateTool(string Name, bool RequiresApproval);
