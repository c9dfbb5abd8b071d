namespace LettaPlatform.Cli.Templates;

/// <summary>One difference: a line saying what changed, and for a text the lines removed and added.</summary>
public sealed record TemplateChange(string Summary, IReadOnlyList<string> Lines)
{
    public TemplateChange(string summary)
        : this(summary, [])
    {
    }
}

/// <summary>What publishing <c>desired</c> would change compared with <c>current</c>.</summary>
public static class TemplateComparison
{
    /// <summary>Empty when the two are the same template (blocks and tools compared by label and name, in any order).</summary>
    public static IReadOnlyList<TemplateChange> Changes(TemplateDefinition current, TemplateDefinition desired)
    {
        var changes = new List<TemplateChange>();
        CompareText(changes, "name", current.Name, desired.Name);
        CompareText(changes, "description", current.Description, desired.Description);
        CompareText(changes, "systemPrompt", current.SystemPrompt, desired.SystemPrompt);
        if (!current.Tags.SequenceEqual(desired.Tags))
        {
            changes.Add(new($"~ tags: [{string.Join(", ", current.Tags)}] → [{string.Join(", ", desired.Tags)}]"));
        }

        foreach (var block in desired.Blocks)
        {
            if (current.Blocks.FirstOrDefault(b => b.Label == block.Label) is not { } before)
            {
                changes.Add(new($"+ block {block.Label} (limit {block.Limit})"));
                continue;
            }

            CompareText(changes, $"block {block.Label} value", before.Value, block.Value);
            CompareText(changes, $"block {block.Label} description", before.Description, block.Description);
            if (before.Limit != block.Limit)
            {
                changes.Add(new($"~ block {block.Label} limit: {before.Limit} → {block.Limit}"));
            }
        }

        changes.AddRange(current.Blocks.Where(b => desired.Blocks.All(d => d.Label != b.Label)).Select(b => new TemplateChange($"- block {b.Label}")));

        foreach (var tool in desired.Tools)
        {
            var before = current.Tools.FirstOrDefault(t => t.Name == tool.Name);
            if (before is null)
            {
                changes.Add(new($"+ tool {tool.Name}{(tool.RequiresApproval ? " (requires approval)" : "")}"));
            }
            else if (before.RequiresApproval != tool.RequiresApproval)
            {
                changes.Add(new($"~ tool {tool.Name}: requiresApproval {Lower(before.RequiresApproval)} → {Lower(tool.RequiresApproval)}"));
            }
        }

        changes.AddRange(current.Tools.Where(t => desired.Tools.All(d => d.Name != t.Name)).Select(t => new TemplateChange($"- tool {t.Name}")));
        return changes;
    }

    private static void CompareText(List<TemplateChange> changes, string what, string before, string after)
    {
        if (before != after)
        {
            changes.Add(new($"~ {what}:", LineDiff.Compare(before, after)));
        }
    }

    private static string Lower(bool value) => value ? "true" : "false";
}
