using LettaPlatform.Cli.Platform;

namespace LettaPlatform.Cli.Templates;

/// <summary>A whole template as the files describe it for one environment: what a published version would hold.</summary>
public sealed record TemplateDefinition(
    string Id,
    string Name,
    string Description,
    string SystemPrompt,
    IReadOnlyList<string> Tags,
    IReadOnlyList<BlockDefinition> Blocks,
    IReadOnlyList<ToolDefinition> Tools)
{
    /// <summary>A version the platform already has, in the same terms (and the same text normalisation) as the files.</summary>
    public static TemplateDefinition From(TemplateVersion version) => new(
        version.TemplateId,
        version.Name.Trim(),
        version.Description.Trim(),
        NormalizeText(version.SystemPrompt),
        version.Tags,
        [.. version.Blocks.Select(b => new BlockDefinition(b.Label, NormalizeText(b.Value), b.Limit, NormalizeText(b.Description)))],
        [.. version.Tools.Select(t => new ToolDefinition(t.Name, t.RequiresApproval))]);

    /// <summary>
    /// Line breaks as <c>\n</c> and no trailing ones, so a YAML block scalar (<c>|</c>, which ends with a line
    /// break) and the platform's stored text compare equal.
    /// </summary>
    public static string NormalizeText(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
}

public sealed record BlockDefinition(string Label, string Value, int Limit, string Description);

public sealed record ToolDefinition(string Name, bool RequiresApproval);
