using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LettaPlatform.LettaDev.Model;

// What the stores are asked to do, read from Letta's request bodies. A null field leaves the stored value as it is;
// fields are read in the order Letta's server checks them, so the first wrong one is the one reported.

public sealed record AgentFilter(string? Name, IReadOnlyList<string> Tags, bool MatchAllTags, string? QueryText, string? LastStopReason);

public sealed record BlockFilter(string? Label, IReadOnlyList<string> Tags, bool MatchAllTags, string? ValueSearch, string? LabelSearch);

public sealed record ToolFilter(string? Name, IReadOnlyList<string> Names, IReadOnlyList<string> Types, string? Search);

public sealed record BlockFields(string? Value, string? Label, int? Limit, string? Description, bool? ReadOnly, JsonObject? Metadata, IReadOnlyList<string>? Tags)
{
    /// <summary>A create needs <c>label</c> and <c>value</c>; an explicit null value is an empty block.</summary>
    public static BlockFields ForCreate(JsonObject body)
    {
        body.RequireStr("label");
        return body.ContainsKey("value") ? From(body) : throw LettaException.Invalid("body.value: Field required");
    }

    public static BlockFields From(JsonObject body) => new(
        Value: body.ContainsKey("value") ? body.Str("value") ?? "" : null,
        Label: body.Str("label"),
        Limit: body.Int("limit"),
        Description: body.Str("description"),
        ReadOnly: body.Bool("read_only"),
        Metadata: body.Obj("metadata")?.DeepClone().AsObject(),
        Tags: Fields.Distinct(body.Strings("tags")));
}

public sealed record NewAgent
{
    public string? Name { get; init; }
    public string? AgentType { get; init; }
    public string? System { get; init; }
    public string? Description { get; init; }
    public string? Model { get; init; }
    public string? Embedding { get; init; }
    public JsonObject? Metadata { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public JsonArray ToolRules { get; init; } = [];
    public IReadOnlyList<BlockFields> MemoryBlocks { get; init; } = [];
    public IReadOnlyList<string> BlockIds { get; init; } = [];
    public bool IncludeBaseTools { get; init; } = true;
    public IReadOnlyList<string> ToolNames { get; init; } = [];
    public IReadOnlyList<string> ToolIds { get; init; } = [];

    public static NewAgent From(JsonObject body) => new()
    {
        Name = body.Str("name"),
        AgentType = body.Str("agent_type"),
        System = body.Str("system"),
        Description = body.Str("description"),
        Model = body.Str("model"),
        Embedding = body.Str("embedding"),
        Metadata = body.Obj("metadata")?.DeepClone().AsObject(),
        Tags = Fields.Distinct(body.Strings("tags")) ?? [],
        ToolRules = body.Arr("tool_rules")?.DeepClone().AsArray() ?? [],
        MemoryBlocks = [.. (body.Arr("memory_blocks") ?? []).Select(node =>
            BlockFields.ForCreate(node as JsonObject ?? throw LettaException.Invalid("body.memory_blocks: Input should be an object")))],
        BlockIds = body.Strings("block_ids") ?? [],
        IncludeBaseTools = body.Bool("include_base_tools") ?? true,
        ToolNames = body.Strings("tools") ?? [],
        ToolIds = body.Strings("tool_ids") ?? [],
    };
}

public sealed record AgentChanges
{
    public string? Name { get; init; }
    public string? System { get; init; }
    public string? Description { get; init; }
    public string? Model { get; init; }
    public string? Embedding { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public JsonObject? Metadata { get; init; }
    public JsonArray? ToolRules { get; init; }
    public string? LastStopReason { get; init; }
    public IReadOnlyList<string>? ToolIds { get; init; }
    public IReadOnlyList<string>? BlockIds { get; init; }

    public static AgentChanges From(JsonObject body) => new()
    {
        Name = body.Str("name"),
        System = body.Str("system"),
        Description = body.Str("description"),
        Model = body.Str("model"),
        Embedding = body.Str("embedding"),
        Tags = Fields.Distinct(body.Strings("tags")),
        Metadata = body.Obj("metadata")?.DeepClone().AsObject(),
        ToolRules = body.Arr("tool_rules")?.DeepClone().AsArray(),
        LastStopReason = body.Str("last_stop_reason"),
        ToolIds = body.Strings("tool_ids"),
        BlockIds = body.Strings("block_ids"),
    };
}

/// <summary>A tool to create or replace. Its name comes from <c>json_schema.name</c> or the first <c>def</c> in the source, since no Python runs here.</summary>
public sealed partial record NewTool
{
    public required string Name { get; init; }
    public required string SourceCode { get; init; }
    public JsonObject? JsonSchema { get; init; }
    public string? SourceType { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public int? ReturnCharLimit { get; init; }
    public bool? DefaultRequiresApproval { get; init; }

    public static NewTool From(JsonObject body)
    {
        var source = body.RequireStr("source_code");
        var schema = body.Obj("json_schema")?.DeepClone().AsObject();
        var name = schema?.Str("name") ?? FunctionName(source)
            ?? throw LettaException.BadRequest("Could not determine the tool name: give json_schema.name or a 'def' in source_code");
        return new NewTool
        {
            Name = name,
            SourceCode = source,
            JsonSchema = schema,
            SourceType = body.Str("source_type"),
            Description = body.Str("description") ?? schema?.Str("description"),
            Tags = Fields.Distinct(body.Strings("tags")),
            ReturnCharLimit = body.Int("return_char_limit"),
            DefaultRequiresApproval = body.Bool("default_requires_approval"),
        };
    }

    private static string? FunctionName(string source) => FunctionDef().Match(source) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(")]
    private static partial Regex FunctionDef();
}

public sealed record ToolChanges(string? Description, IReadOnlyList<string>? Tags, string? SourceCode, JsonObject? JsonSchema, int? ReturnCharLimit, bool? DefaultRequiresApproval)
{
    public static ToolChanges From(JsonObject body) => new(
        body.Str("description"),
        Fields.Distinct(body.Strings("tags")),
        body.Str("source_code"),
        body.Obj("json_schema")?.DeepClone().AsObject(),
        body.Int("return_char_limit"),
        body.Bool("default_requires_approval"));
}

public sealed record ConversationFields(string? Summary, string? Model)
{
    public static ConversationFields From(JsonObject body) => new(body.Str("summary"), body.Str("model"));
}

internal static class Fields
{
    /// <summary>Tags are a set: repeats are dropped, the first occurrence keeps its place.</summary>
    public static List<string>? Distinct(IEnumerable<string>? values) => values is null ? null : [.. values.Distinct(StringComparer.Ordinal)];
}
