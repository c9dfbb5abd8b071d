using LettaPlatform.Cli.Templates;

namespace LettaPlatform.Cli.Tests;

public class TemplateFilesTests
{
    private const string Minimal = """
        id: helper
        name: Helper
        description: Helps.
        tags: [a]
        systemPrompt: |
          You help.
          Briefly.
        blocks:
          - label: persona
            value: I help.
          - label: human
            value: Nothing yet.
            limit: 2000
            description: The person.
        tools:
          - name: query_tasks
          - name: create_pull_request
            requiresApproval: true
        """;

    [Fact]
    public void Load_RepositoryTemplates_BaseAndEveryEnvironmentAreValid()
    {
        var environments = Directory.EnumerateDirectories(Lettactl.RepositoryTemplates).Select(Path.GetFileName).Where(name => name != TemplateFiles.BaseFolder);

        var loaded = TemplateFiles.Load(Lettactl.RepositoryTemplates, environment: null);
        foreach (var environment in environments)
        {
            Assert.Equal(loaded.Select(t => t.Id), TemplateFiles.Load(Lettactl.RepositoryTemplates, environment).Select(t => t.Id));
        }

        Assert.Equal(["code-assistant", "documentation", "task-manager"], loaded.Select(t => t.Id));
    }

    [Fact]
    public void Load_BaseFile_ReadsEveryFieldWithDefaultsAndWithoutTrailingLineBreaks()
    {
        using var folder = TemplateFolder.Empty().Write("base/helper.yaml", Minimal);

        var template = Assert.Single(TemplateFiles.Load(folder.Path, environment: null));

        Assert.Equal("helper", template.Id);
        Assert.Equal("Helper", template.Name);
        Assert.Equal("You help.\nBriefly.", template.SystemPrompt);
        Assert.Equal(["a"], template.Tags);
        Assert.Equal([new BlockDefinition("persona", "I help.", 5000, ""), new BlockDefinition("human", "Nothing yet.", 2000, "The person.")], template.Blocks);
        Assert.Equal([new ToolDefinition("query_tasks", false), new ToolDefinition("create_pull_request", true)], template.Tools);
    }

    [Fact]
    public void Load_WithEnvironment_OverridesFieldsBlocksAndToolsOfTheBase()
    {
        using var folder = TemplateFolder.Empty().Write("base/helper.yaml", Minimal).Write("prod/helper.yaml", """
            id: helper
            description: Helps in production.
            blocks:
              - label: persona
                value: I help carefully.
              - label: human
                remove: true
              - label: notes
                value: None.
            tools:
              - name: query_tasks
                requiresApproval: true
              - name: create_pull_request
                remove: true
              - name: create_task
            """);

        var template = Assert.Single(TemplateFiles.Load(folder.Path, "prod"));

        Assert.Equal("Helper", template.Name);
        Assert.Equal("Helps in production.", template.Description);
        Assert.Equal("You help.\nBriefly.", template.SystemPrompt);
        Assert.Equal([new BlockDefinition("persona", "I help carefully.", 5000, ""), new BlockDefinition("notes", "None.", 5000, "")], template.Blocks);
        Assert.Equal([new ToolDefinition("query_tasks", true), new ToolDefinition("create_task", false)], template.Tools);
        Assert.Equal("Helps.", Assert.Single(TemplateFiles.Load(folder.Path, environment: null)).Description);
    }

    [Theory]
    [InlineData("id: helper\nname: Helper\nnmae: typo\n", "(3,1)")]
    [InlineData("id: other\nname: Helper\n", "named after its id")]
    [InlineData("id: helper\nname: Helper\ndescription: d\nsystemPrompt: p\ntools: []\nblocks: []\n", "'blocks' must list at least one block")]
    [InlineData("id: helper\nname: Helper\ndescription: d\nsystemPrompt: p\nblocks:\n  - label: persona\n", "'tools' is required")]
    [InlineData("id: helper\ndescription: d\nsystemPrompt: p\ntools: []\nblocks:\n  - label: persona\n", "'name' is required")]
    [InlineData("id: helper\nname: n\ndescription: d\nsystemPrompt: p\ntools: []\nblocks:\n  - label: a\n  - label: a\n", "block 'a' appears 2 times")]
    [InlineData("id: helper\nname: n\ndescription: d\nsystemPrompt: p\ntools: []\nblocks:\n  - label: a\n    limit: 50\n", "limit must be between 100 and 100000")]
    [InlineData("id: helper\nname: n\ndescription: d\nsystemPrompt: p\ntools: []\nblocks:\n  - label: a\n    limit: lots\n", "helper.yaml(")]
    [InlineData("id: helper\nname: n\ndescription: d\nsystemPrompt: p\ntools: [{name: x, remove: true}]\nblocks:\n  - label: a\n", "'remove' belongs in an environment's overrides")]
    [InlineData("", "the file is empty")]
    public void Load_InvalidBaseFile_FailsSayingWhereAndWhy(string content, string expected)
    {
        using var folder = TemplateFolder.Empty().Write("base/helper.yaml", content);

        var failure = Assert.Throws<TemplateFileException>(() => TemplateFiles.Load(folder.Path, environment: null));

        Assert.Contains(failure.Errors, error => error.Contains("helper.yaml", StringComparison.Ordinal) && error.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("id: nobody\n", "no base template 'nobody'")]
    [InlineData("id: helper\nblocks:\n  - label: missing\n    remove: true\n", "block 'missing' is removed but the base template has no such block")]
    [InlineData("id: helper\ntools:\n  - name: missing\n    remove: true\n", "tool 'missing' is removed")]
    public void Load_InvalidOverride_FailsSayingWhereAndWhy(string content, string expected)
    {
        var name = content.Contains("nobody", StringComparison.Ordinal) ? "nobody" : "helper";
        using var folder = TemplateFolder.Empty().Write("base/helper.yaml", Minimal).Write($"dev/{name}.yaml", content);

        var failure = Assert.Throws<TemplateFileException>(() => TemplateFiles.Load(folder.Path, "dev"));

        Assert.Contains(failure.Errors, error => error.Contains(Path.Combine("dev", name + ".yaml"), StringComparison.Ordinal) && error.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownEnvironment_Fails()
    {
        using var folder = TemplateFolder.Empty().Write("base/helper.yaml", Minimal);

        var failure = Assert.Throws<TemplateFileException>(() => TemplateFiles.Load(folder.Path, "staging"));

        Assert.Contains("no folder for environment 'staging'", Assert.Single(failure.Errors), StringComparison.Ordinal);
    }
}
