using System.Text.Json.Nodes;

namespace LettaPlatform.Letta;

/// <summary>Letta's <c>BlockResponse</c>: a memory block.</summary>
public sealed record LettaBlock
{
    public required string Id { get; init; }
    public string? Label { get; init; }
    public string Value { get; init; } = "";

    /// <summary>Character limit; metadata only on current Letta (no longer enforced).</summary>
    public int? Limit { get; init; }
    public string? Description { get; init; }
    public bool? ReadOnly { get; init; }
    public JsonObject? Metadata { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public string? ProjectId { get; init; }
}

/// <summary><c>CreateBlock</c>: label and value are required.</summary>
public sealed record CreateBlockRequest
{
    public required string Label { get; init; }
    public required string Value { get; init; }
    public int? Limit { get; init; }
    public string? Description { get; init; }
    public bool? ReadOnly { get; init; }
    public JsonObject? Metadata { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary><c>BlockUpdate</c>: only the fields that are set are sent.</summary>
public sealed record BlockUpdate
{
    public string? Value { get; init; }
    public int? Limit { get; init; }
    public string? Label { get; init; }
    public string? Description { get; init; }
    public bool? ReadOnly { get; init; }
    public JsonObject? Metadata { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
}

public sealed record ListBlocksQuery
{
    public string? Label { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public bool MatchAllTags { get; init; }
    public int? Limit { get; init; }
    public string? After { get; init; }
    public string? Before { get; init; }
    public LettaSortOrder? Order { get; init; }
}

public sealed record LettaTool
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? ToolType { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public JsonObject? JsonSchema { get; init; }
    public bool? DefaultRequiresApproval { get; init; }
    public int? ReturnCharLimit { get; init; }
}

public sealed record ListToolsQuery
{
    public string? Name { get; init; }
    public IReadOnlyList<string>? Names { get; init; }
    public string? Search { get; init; }
    public int? Limit { get; init; }
    public string? After { get; init; }
    public LettaSortOrder? Order { get; init; }
}
