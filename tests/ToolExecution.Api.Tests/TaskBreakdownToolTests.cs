using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.Model;
using LettaPlatform.ToolExecution.Api.Tests.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LettaPlatform.ToolExecution.Api.Tests.TestHost.ToolExecutionHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

/// <summary>The task manager's tools (break_down_task, task_progress_report, query_tasks' filters) through the guard, as chat-api calls them.</summary>
public sealed class TaskBreakdownToolTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task BreakDownTask_OwnTask_AddsOrderedSubtasksAfterExistingOnesAndIsAudited()
    {
        var user = NewUser();
        var agent = service.AddAgentWithAllTools(user);
        var parent = await CreateAsync(user, agent, """{"title":"Launch the website","project_id":"web"}""");

        var first = (await service.ExecuteAsync(Call(user, agent, "break_down_task", $$"""{"task_id":"{{parent}}","subtasks":["Write copy","Design pages"]}"""))).Data();
        var second = (await service.ExecuteAsync(Call(user, agent, "break_down_task", $$"""{"task_id":"{{parent}}","subtasks":["Deploy"]}"""))).Data();

        Assert.Equal(2, first["added"]!.GetValue<int>());
        Assert.Equal(1, second["added"]!.GetValue<int>());
        Assert.Equal(["1 Write copy", "2 Design pages", "3 Deploy"], Subtasks(second["task"]!));
        Assert.Equal("0 of 3 done", second["task"]!["progress"]!.GetValue<string>());
        var stored = await TasksAsync(user);
        Assert.All(stored.Where(t => t.ParentId == parent), t => Assert.Equal(("web", TaskStatuses.Todo), (t.ProjectId, t.Status)));

        var listed = (await service.ExecuteAsync(Call(user, agent, "query_tasks", $$"""{"parent_id":"{{parent}}"}"""))).Data();
        Assert.Equal(["Write copy", "Design pages", "Deploy"], Titles(listed));
        var audit = await AuditAsync(user, "break_down_task");
        Assert.Equal(2, audit.Count);
        Assert.All(audit, entry => Assert.Equal((AuditDecisions.Allowed, ToolCallStatus.Success), (entry.Decision, entry.Status)));
    }

    [Fact]
    public async Task BreakDownTask_AnotherUsersTask_IsDeniedLikeAMissingOneAndAddsNothing()
    {
        var owner = NewUser();
        var intruder = NewUser();
        var parent = await CreateAsync(owner, service.AddAgentWithAllTools(owner), """{"title":"Private plan"}""");
        var intruderAgent = service.AddAgentWithAllTools(intruder);

        var foreign = await service.ExecuteAsync(Call(intruder, intruderAgent, "break_down_task", $$"""{"task_id":"{{parent}}","subtasks":["Steal"]}"""));
        var missing = await service.ExecuteAsync(Call(intruder, intruderAgent, "break_down_task", $$"""{"task_id":"{{Guid.NewGuid()}}","subtasks":["Steal"]}"""));
        var listed = (await service.ExecuteAsync(Call(intruder, intruderAgent, "query_tasks", $$"""{"parent_id":"{{parent}}"}"""))).Data();

        Assert.Equal(("task_not_found", "task_not_found"), (foreign.ErrorCode(), missing.ErrorCode()));
        Assert.Equal(0, listed["count"]!.GetValue<int>());
        Assert.Single(await TasksAsync(owner));
        Assert.Equal(AuditDecisions.Denied, (await AuditAsync(intruder, "break_down_task"))[0].Decision);
    }

    [Theory]
    [InlineData("""{"subtasks":[]}""", "`subtasks` must have at least 1 item.")]
    [InlineData("""{"subtasks":[""]}""", "`subtasks[0]` must not be empty.")]
    [InlineData("""{"subtasks":"a, b"}""", "`subtasks` must be a JSON array.")]
    public async Task BreakDownTask_InvalidSubtasks_IsDeniedWithAMessageTheModelCanActOn(string arguments, string expected)
    {
        var user = NewUser();
        var agent = service.AddAgentWithAllTools(user);
        var parent = await CreateAsync(user, agent, """{"title":"Plan"}""");
        var json = JsonNode.Parse(arguments)!.AsObject();
        json["task_id"] = parent.ToString();

        var executed = await service.ExecuteAsync(Call(user, agent, "break_down_task", json.ToJsonString()));

        Assert.Equal(ToolCallStatus.Denied, executed.Status);
        Assert.Contains(expected, executed.ErrorMessage());
        Assert.Single(await TasksAsync(user));
    }

    [Fact]
    public async Task BreakDownTask_ASubtaskOrPastTheLimit_IsDenied()
    {
        var user = NewUser();
        var agent = service.AddAgentWithAllTools(user);
        var parent = await CreateAsync(user, agent, """{"title":"Plan"}""");
        var child = (await service.ExecuteAsync(Call(user, agent, "break_down_task", $$"""{"task_id":"{{parent}}","subtasks":["Step"]}""")))
            .Data()["task"]!["subtasks"]![0]!["task_id"]!.GetValue<string>();
        var twenty = new JsonArray([.. Enumerable.Range(1, 20).Select(i => (JsonNode)$"Step {i}")]).ToJsonString();

        var nested = await service.ExecuteAsync(Call(user, agent, "break_down_task", $$"""{"task_id":"{{child}}","subtasks":["Deeper"]}"""));
        var tooMany = await service.ExecuteAsync(Call(user, agent, "break_down_task", $$"""{"task_id":"{{parent}}","subtasks":{{twenty}}}"""));

        Assert.Equal(("task_is_subtask", "too_many_subtasks"), (nested.ErrorCode(), tooMany.ErrorCode()));
        Assert.Contains("limit of 20", tooMany.ErrorMessage());
        Assert.Equal(2, (await TasksAsync(user)).Count);
    }

    [Fact]
    public async Task UpdateTask_ClosingTheLastOpenSubtask_OffersToCloseTheParentAndLeavesItOpen()
    {
        var user = NewUser();
        var agent = service.AddAgentWithAllTools(user);
        var parent = await CreateAsync(user, agent, """{"title":"Release 2.0"}""");
        var subtasks = (await service.ExecuteAsync(Call(user, agent, "break_down_task", $$"""{"task_id":"{{parent}}","subtasks":["Tag","Announce"]}""")))
            .Data()["task"]!["subtasks"]!.AsArray().Select(s => s!["task_id"]!.GetValue<string>()).ToList();

        var firstClosed = (await service.ExecuteAsync(Call(user, agent, "update_task", $$"""{"task_id":"{{subtasks[0]}}","status":"done"}"""))).Data();
        var lastClosed = (await service.ExecuteAsync(Call(user, agent, "update_task", $$"""{"task_id":"{{subtasks[1]}}","status":"done"}"""))).Data();

        Assert.Null(firstClosed["parent_ready_to_close"]);
        var offer = lastClosed["parent_ready_to_close"]!;
        Assert.Equal(parent.ToString(), offer["parent"]!["task_id"]!.GetValue<string>());
        Assert.Contains("Ask the person whether", offer["message"]!.GetValue<string>());
        var stored = await TasksAsync(user);
        Assert.Equal(TaskStatuses.Todo, stored.Single(t => t.Id == parent).Status);
        Assert.All(stored.Where(t => t.ParentId == parent), t => Assert.NotNull(t.CompletedAt));
        var query = (await service.ExecuteAsync(Call(user, agent, "query_tasks", """{"text":"Release 2.0"}"""))).Data();
        Assert.Equal("2 of 2 done", query["tasks"]![0]!["progress"]!.GetValue<string>());
    }

    [Fact]
    public async Task QueryTasks_PriorityDueDatesOverdueAndSort_SelectAndOrderTheTasks()
    {
        var user = NewUser();
        var agent = service.AddAgentWithAllTools(user);
        await CreateAsync(user, agent, $$"""{"title":"Late high","priority":"high","due_date":"{{Day(-2)}}"}""");
        await CreateAsync(user, agent, $$"""{"title":"Soon high","priority":"high","due_date":"{{Day(3)}}"}""");
        await CreateAsync(user, agent, $$"""{"title":"Later high","priority":"high","due_date":"{{Day(30)}}"}""");
        await CreateAsync(user, agent, $$"""{"title":"Soon low","priority":"low","due_date":"{{Day(1)}}"}""");
        await CreateAsync(user, agent, """{"title":"Undated medium"}""");

        async Task<List<string>> Query(string arguments) => Titles((await service.ExecuteAsync(Call(user, agent, "query_tasks", arguments))).Data());

        Assert.Equal(["Late high", "Soon high"], await Query("""{"priority":"high","due_within_days":7,"sort":"due_date"}"""));
        Assert.Equal(["Late high"], await Query("""{"overdue":true}"""));
        Assert.Equal(["Late high", "Soon low", "Soon high"], await Query($$"""{"due_before":"{{Day(3)}}","sort":"due_date"}"""));
        Assert.Equal(["Late high", "Soon high", "Later high", "Undated medium", "Soon low"], await Query("""{"sort":"priority"}"""));
    }

    [Fact]
    public async Task TaskProgressReport_CountsByStatusAndProject_ListsOverdueDueSoonAndChanges_OnlyOfTheCaller()
    {
        var user = NewUser();
        var agent = service.AddAgentWithAllTools(user);
        var other = NewUser();
        await CreateAsync(other, service.AddAgentWithAllTools(other), $$"""{"title":"Not mine","project_id":"web","due_date":"{{Day(-1)}}"}""");
        await CreateAsync(user, agent, $$"""{"title":"Late","project_id":"web","due_date":"{{Day(-1)}}"}""");
        await CreateAsync(user, agent, $$"""{"title":"Soon","project_id":"web","due_date":"{{Day(2)}}"}""");
        var done = await CreateAsync(user, agent, """{"title":"Finished","project_id":"ops"}""");
        await service.ExecuteAsync(Call(user, agent, "update_task", $$"""{"task_id":"{{done}}","status":"done"}"""));
        await CreateAsync(user, agent, """{"title":"Loose"}""");

        var report = (await service.ExecuteAsync(Call(user, agent, "task_progress_report", $$"""{"since":"{{Day(-1)}}"}"""))).Data();

        Assert.Equal((4, 3, 0, 1), (Int(report, "total"), Int(report["by_status"]!, "todo"), Int(report["by_status"]!, "in_progress"), Int(report["by_status"]!, "done")));
        Assert.Equal(["ops 0/0/1", "web 2/0/0", "- 1/0/0"], report["by_project"]!.AsArray()
            .Select(p => $"{p!["project_id"]?.GetValue<string>() ?? "-"} {Int(p, "todo")}/{Int(p, "in_progress")}/{Int(p, "done")}"));
        Assert.Equal(["Late"], Titles(report["overdue"]!));
        Assert.Equal(["Soon"], Titles(report["due_soon"]!));
        Assert.Equal(4, Int(report["changed_since"]!["created"]!, "count"));
        Assert.Equal(["Finished"], Titles(report["changed_since"]!["completed"]!));

        var web = (await service.ExecuteAsync(Call(user, agent, "task_progress_report", """{"project_id":"web","due_soon_days":1}"""))).Data();
        Assert.Equal((2, 0), (Int(web, "total"), Int(web["due_soon"]!, "count")));
        Assert.Null(web["changed_since"]);
    }

    private async Task<Guid> CreateAsync(string user, Guid agent, string arguments) =>
        Guid.Parse((await service.ExecuteAsync(Call(user, agent, "create_task", arguments))).Data()["created"]!["task_id"]!.GetValue<string>());

    private static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd");

    private static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();

    private static List<string> Titles(JsonNode data) =>
        [.. data["tasks"]!.AsArray().Select(t => t!["title"]!["untrusted_text"]!.GetValue<string>())];

    private static List<string> Subtasks(JsonNode task) =>
        [.. task["subtasks"]!.AsArray().Select(s => $"{s!["position"]} {s["title"]!["untrusted_text"]!.GetValue<string>()}")];

    private async Task<List<ToolExecutionEntry>> AuditAsync(string userId, string tool)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ToolExecutionDbContext>().ToolExecutions
            .Where(e => e.UserId == userId && e.Tool == tool).ToListAsync(TestContext.Current.CancellationToken);
    }

    private async Task<List<TaskItem>> TasksAsync(string userId)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ToolExecutionDbContext>().Tasks
            .Where(t => t.UserId == userId).ToListAsync(TestContext.Current.CancellationToken);
    }
}
