namespace LettaPlatform.Cli.Templates;

/// <summary>
/// One template file as written (YAML, camelCase keys). In <c>base/</c> it describes the whole template;
/// in an environment folder it overrides the base file of the same <see cref="Id"/>: what it sets replaces,
/// blocks and tools are matched by label and name, and <c>remove: true</c> drops one.
/// </summary>
public sealed class TemplateFile
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? SystemPrompt { get; set; }

    public List<string>? Tags { get; set; }

    public List<BlockEntry>? Blocks { get; set; }

    public List<ToolEntry>? Tools { get; set; }
}

public sealed class BlockEntry
{
    public string? Label { get; set; }

    public string? Value { get; set; }

    public int? Limit { get; set; }

    public string? Description { get; set; }

    public bool Remove { get; set; }
}

public sealed class ToolEntry
{
    public string? Name { get; set; }

    public bool? RequiresApproval { get; set; }

    public bool Remove { get; set; }
}
