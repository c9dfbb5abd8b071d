using LettaPlatform.Cli.Templates;

namespace LettaPlatform.Cli.Tests;

public class TemplateComparisonTests
{
    private static readonly TemplateDefinition Current = new(
        "helper", "Helper", "Helps.", "line one\nline two\nline three", ["a"],
        [new BlockDefinition("persona", "I help.", 5000, "Who."), new BlockDefinition("human", "Nobody.", 5000, "")],
        [new ToolDefinition("query_tasks", false), new ToolDefinition("create_task", false)]);

    [Fact]
    public void Changes_SameTemplateWithBlocksAndToolsReordered_IsEmpty()
    {
        var reordered = Current with { Blocks = [.. Current.Blocks.Reverse()], Tools = [.. Current.Tools.Reverse()] };

        Assert.Empty(TemplateComparison.Changes(Current, reordered));
    }

    [Fact]
    public void Changes_EveryKindOfDifference_IsListed()
    {
        var desired = Current with
        {
            Description = "Helps more.",
            SystemPrompt = "line one\nline 2\nline three",
            Tags = ["a", "b"],
            Blocks = [new BlockDefinition("persona", "I help.", 8000, "Who."), new BlockDefinition("notes", "", 5000, "")],
            Tools = [new ToolDefinition("query_tasks", true), new ToolDefinition("update_task", false)],
        };

        var changes = TemplateComparison.Changes(Current, desired);

        Assert.Equal(["- Helps.", "+ Helps more."], changes[0].Lines);
        Assert.Equal(["- line two", "+ line 2"], changes[1].Lines);
        Assert.Equal(
            [
                "~ description:",
                "~ systemPrompt:",
                "~ tags: [a] → [a, b]",
                "~ block persona limit: 5000 → 8000",
                "+ block notes (limit 5000)",
                "- block human",
                "~ tool query_tasks: requiresApproval false → true",
                "+ tool update_task",
                "- tool create_task",
            ],
            changes.Select(change => change.Summary));
    }

    [Theory]
    [InlineData("a\nb\nc", "a\nb\nc", new string[0])]
    [InlineData("a\nb\nc", "a\nc", new[] { "- b" })]
    [InlineData("a\nc", "a\nb\nc", new[] { "+ b" })]
    [InlineData("a\nb", "x\ny", new[] { "- a", "- b", "+ x", "+ y" })]
    public void LineDiff_Compare_ListsRemovedAndAddedLines(string before, string after, string[] expected)
    {
        Assert.Equal(expected, LineDiff.Compare(before, after));
    }
}
