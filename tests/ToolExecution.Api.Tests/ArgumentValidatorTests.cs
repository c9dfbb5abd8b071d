using LettaPlatform.ToolExecution.Api.Catalog;

namespace LettaPlatform.ToolExecution.Api.Tests;

public sealed class ArgumentValidatorTests
{
    private static readonly System.Text.Json.Nodes.JsonObject UpdateTask = ToolDefinitions.All.Single(t => t.Name == "update_task").Parameters;
    private static readonly System.Text.Json.Nodes.JsonObject QueryTasks = ToolDefinitions.All.Single(t => t.Name == "query_tasks").Parameters;

    [Theory]
    [InlineData("""{"task_id":"0193a5c2-7b1e-7c3d-9f00-2a4b6c8d0e1f","status":"done"}""")]
    [InlineData("""{"task_id":"0193a5c2-7b1e-7c3d-9f00-2a4b6c8d0e1f","due_date":null}""")]
    [InlineData("""{"task_id":"0193a5c2-7b1e-7c3d-9f00-2a4b6c8d0e1f","due_date":"2027-02-28","title":"ok"}""")]
    public void Validate_ValidArguments_ReturnsNoErrorsAndTheObject(string json)
    {
        var errors = ArgumentValidator.Validate(json, UpdateTask, out var arguments);

        Assert.Empty(errors);
        Assert.NotNull(arguments);
    }

    [Theory]
    [InlineData("""{"task_id":"42","status":"done"}""", "`task_id` must be an id like")]
    [InlineData("""{"task_id":"0193a5c2-7b1e-7c3d-9f00-2a4b6c8d0e1f"}""", "Give at least 2 arguments")]
    [InlineData("""{"task_id":"0193a5c2-7b1e-7c3d-9f00-2a4b6c8d0e1f","title":""}""", "`title` must not be empty.")]
    [InlineData("""{"task_id":"0193a5c2-7b1e-7c3d-9f00-2a4b6c8d0e1f","due_date":"2027-02-30"}""", "`due_date` must be a date as YYYY-MM-DD")]
    [InlineData("""{"task_id":"0193a5c2-7b1e-7c3d-9f00-2a4b6c8d0e1f","due_date":5}""", "`due_date` must be a string or null.")]
    [InlineData("""["task_id"]""", "The arguments must be a JSON object.")]
    [InlineData("""{"task_id":""", "The arguments are not valid JSON")]
    public void Validate_InvalidUpdate_SaysWhatIsWrong(string json, string expected)
    {
        var errors = ArgumentValidator.Validate(json, UpdateTask, out var arguments);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Null(arguments);
    }

    [Theory]
    [InlineData("""{"limit":0}""", "`limit` must be between 1 and 50.")]
    [InlineData("""{"limit":2.5}""", "`limit` must be a whole number.")]
    [InlineData("""{"limit":"10"}""", "`limit` must be a whole number.")]
    [InlineData("""{"project_id":"../etc"}""", "`project_id` must look like website-redesign.")]
    public void Validate_InvalidQuery_SaysWhatIsWrong(string json, string expected)
    {
        var errors = ArgumentValidator.Validate(json, QueryTasks, out _);

        Assert.Equal(expected, Assert.Single(errors));
    }

    [Fact]
    public void Validate_TooLongTitle_CountsCharactersNotBytes()
    {
        var schema = ToolDefinitions.All.Single(t => t.Name == "create_task").Parameters;
        var fits = new string('é', 200);

        Assert.Empty(ArgumentValidator.Validate($$"""{"title":"{{fits}}"}""", schema, out _));
        Assert.Equal(
            "`title` must be at most 200 characters long (it has 201).",
            Assert.Single(ArgumentValidator.Validate($$"""{"title":"{{fits}}é"}""", schema, out _)));
    }

    [Theory]
    [InlineData("""{"repository":"o/r","title":"t","files":[]}""", "`files` must have at least 1 item.")]
    [InlineData("""{"repository":"o/r","title":"t","files":[{"path":"README.md"}]}""", "`files[0].content` is required.")]
    [InlineData("""{"repository":"o/r","title":"t","files":[{"path":"/etc/motd","content":""}]}""", "`files[0].path` must look like docs/setup.md.")]
    [InlineData("""{"repository":"o/r","title":"t","files":[{"path":"a.md","content":"","mode":"100755"}]}""", "`files[0].mode` is not allowed; the fields of `files[0]` are: path, content.")]
    [InlineData("""{"repository":"o/r","title":"t","files":"README.md"}""", "`files` must be a JSON array.")]
    public void Validate_Lists_NameTheItemAndItsField(string json, string expected)
    {
        var schema = ToolDefinitions.All.Single(t => t.Name == "propose_documentation_change").Parameters;

        Assert.Equal(expected, Assert.Single(ArgumentValidator.Validate(json, schema, out _)));
    }

    [Fact]
    public void Validate_TooManyItems_SaysHowMany()
    {
        var schema = ToolDefinitions.All.Single(t => t.Name == "post_pull_request_review").Parameters;
        var comments = string.Join(",", Enumerable.Repeat("""{"path":"a","line":1,"body":"b"}""", 31));

        Assert.Equal("`comments` must have at most 30 items (it has 31).",
            Assert.Single(ArgumentValidator.Validate($$"""{"repository":"o/r","number":1,"event":"COMMENT","comments":[{{comments}}]}""", schema, out _)));
    }

    [Theory]
    [InlineData("""{"task_id":"0193a5c2-7b1e-7c3d-9f00-2a4b6c8d0e1f","subtasks":["a",5]}""", "`subtasks[1]` must be a string.")]
    [InlineData("""{"task_id":"0193a5c2-7b1e-7c3d-9f00-2a4b6c8d0e1f","subtasks":["a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a"]}""", "`subtasks` must have at most 20 items (it has 21).")]
    public void Validate_ArrayItemsAndCount_AreChecked(string json, string expected)
    {
        var schema = ToolDefinitions.All.Single(t => t.Name == "break_down_task").Parameters;

        Assert.Equal(expected, Assert.Single(ArgumentValidator.Validate(json, schema, out _)));
    }
}
