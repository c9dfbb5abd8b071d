using LettaPlatform.LettaDev.Engine;

namespace LettaPlatform.LettaDev.Tests;

/// <summary>The dev model's phrases for the task manager's tools (it is pure, so it is asked directly).</summary>
public sealed class DevModelTaskPhrasesTests
{
    private const string Id = "0193a5c2-7b1e-7c3d-9f00-2a4b6c8d0e1f";

    private static readonly string[] TaskTools = ["query_tasks", "create_task", "update_task", "break_down_task", "task_progress_report"];

    [Theory]
    [InlineData($"break task {Id} into: Write copy, Design pages and Deploy", "break_down_task",
        $$"""{"task_id":"{{Id}}","subtasks":["Write copy","Design pages","Deploy"]}""")]
    [InlineData($"Please break down task {Id} into:\nDesign and build pages\nShip it.", "break_down_task",
        $$"""{"task_id":"{{Id}}","subtasks":["Design and build pages","Ship it"]}""")]
    [InlineData("how am I doing?", "task_progress_report", "{}")]
    [InlineData("progress report since 2026-11-01", "task_progress_report", """{"since":"2026-11-01"}""")]
    [InlineData("How am I doing since 2026-11-01?", "task_progress_report", """{"since":"2026-11-01"}""")]
    [InlineData("what is overdue?", "query_tasks", """{"overdue":true,"sort":"due_date"}""")]
    [InlineData("show me my overdue tasks", "query_tasks", """{"overdue":true,"sort":"due_date"}""")]
    [InlineData("high priority tasks due this week", "query_tasks", """{"priority":"high","due_within_days":7,"sort":"due_date"}""")]
    [InlineData("Low-priority tasks due today", "query_tasks", """{"priority":"low","due_within_days":0,"sort":"due_date"}""")]
    [InlineData("medium priority tasks due before 2026-12-24", "query_tasks", """{"priority":"medium","due_before":"2026-12-24","sort":"due_date"}""")]
    [InlineData("high priority tasks", "query_tasks", """{"priority":"high"}""")]
    public void Decide_TaskPhrase_CallsTheToolWithTheArguments(string text, string tool, string arguments)
    {
        var step = Assert.IsType<ToolCallStep>(DevModel.Decide(Input(text, TaskTools)));

        Assert.Equal((tool, arguments), (step.ToolName, step.Arguments));
    }

    [Theory]
    [InlineData($"break task {Id} into: a, b")]
    [InlineData("how am I doing?")]
    public void Decide_TaskPhraseWithoutItsTool_AnswersInPersona(string text)
    {
        var step = Assert.IsType<AssistantStep>(DevModel.Decide(Input(text, ["query_tasks"])));

        Assert.StartsWith("You said:", step.Text);
    }

    [Fact]
    public void Decide_BreakDownWithoutATaskId_IsNotATaskCall()
    {
        Assert.IsType<AssistantStep>(DevModel.Decide(Input("break task the website into: a, b", TaskTools)));
    }

    private static ModelInput Input(string text, string[] tools) => new(
        text, null, "", tools.ToDictionary(tool => tool, _ => (JsonObject?)null), new HashSet<string>());
}
