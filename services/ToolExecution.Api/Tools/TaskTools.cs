using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ToolExecution.Api.Catalog;
using LettaPlatform.ToolExecution.Api.Guard;
using LettaPlatform.ToolExecution.Api.Model;

namespace LettaPlatform.ToolExecution.Api.Tools;

public sealed class QueryTasksTool(TaskStore tasks) : IToolHandler
{
    private const int DefaultLimit = 20;

    public string Name => ToolDefinitions.QueryTasks;

    // Only the caller's own tasks are ever queried, so there is nothing else to authorize.
    public Task<ToolDenial?> AuthorizeAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken) =>
        Task.FromResult<ToolDenial?>(null);

    public async Task<JsonNode> ExecuteAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken)
    {
        var dueBefore = arguments.Date("due_before");
        if (arguments["due_within_days"]?.GetValue<int>() is { } days)
        {
            var withinDays = tasks.Today().AddDays(days);
            dueBefore = dueBefore is { } given && given < withinDays ? given : withinDays;
        }

        var found = await tasks.ListAsync(
            call.UserId,
            new TaskQuery(
                Status: arguments.Text("status"),
                ProjectId: arguments.Text("project_id"),
                Text: arguments.Text("text"),
                Priority: arguments.Text("priority"),
                DueBefore: dueBefore,
                Overdue: arguments["overdue"]?.GetValue<bool>() ?? false,
                ParentId: arguments.Text("parent_id") is { } parentId ? Guid.Parse(parentId) : null,
                Sort: arguments.Text("sort") ?? TaskSorts.Newest),
            arguments["limit"]?.GetValue<int>() ?? DefaultLimit,
            after: null,
            cancellationToken);
        var subtasks = await tasks.SubtasksAsync(call.UserId, [.. found.Where(t => t.ParentId is null).Select(t => t.Id)], cancellationToken);

        return new JsonObject
        {
            ["today"] = tasks.Today().ToString("yyyy-MM-dd"),
            ["count"] = found.Count,
            ["tasks"] = new JsonArray([.. found.Select(t => TaskStore.ToToolData(t, subtasks[t.Id]))]),
        };
    }
}

public sealed class CreateTaskTool(TaskStore tasks) : IToolHandler
{
    public string Name => ToolDefinitions.CreateTask;

    public Task<ToolDenial?> AuthorizeAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken) =>
        Task.FromResult<ToolDenial?>(null);

    public Task<JsonNode> ExecuteAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken)
    {
        var task = tasks.Create(
            call.UserId,
            arguments.Text("title")!,
            arguments.Text("description"),
            arguments.Text("project_id"),
            arguments.Text("priority"),
            arguments.Date("due_date"));

        return Task.FromResult<JsonNode>(new JsonObject { ["created"] = TaskStore.ToToolData(task) });
    }
}

public sealed class UpdateTaskTool(TaskStore tasks) : IToolHandler
{
    private TaskItem? _task;

    public string Name => ToolDefinitions.UpdateTask;

    public async Task<ToolDenial?> AuthorizeAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(arguments.Text("task_id")!);
        _task = await tasks.FindAsync(call.UserId, id, cancellationToken);

        // Another user's task reads exactly like a task that does not exist.
        return _task is null
            ? new ToolDenial("task_not_found", $"The user has no task with task_id {id}. Use query_tasks to find the right task_id.")
            : null;
    }

    public async Task<JsonNode> ExecuteAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken)
    {
        var task = _task ?? throw new InvalidOperationException("update_task ran without being authorized.");
        var wasDone = task.Status == TaskStatuses.Done;
        tasks.Apply(task, new TaskChanges(
            Title: arguments.Text("title"),
            Description: arguments.Text("description"),
            Status: arguments.Text("status"),
            Priority: arguments.Text("priority"),
            DueDate: arguments.Date("due_date"),
            ClearDueDate: arguments.TryGetPropertyValue("due_date", out var due) && due is null));

        var result = new JsonObject { ["updated"] = TaskStore.ToToolData(task) };
        if (!wasDone && task.Status == TaskStatuses.Done && task.ParentId is { } parentId
            && await tasks.FindAsync(call.UserId, parentId, cancellationToken) is { Status: not TaskStatuses.Done } parent
            && await tasks.OpenSiblingsAsync(task, cancellationToken) == 0)
        {
            // The agent offers to close the parent; closing it is the person's decision, not a side effect.
            result["parent_ready_to_close"] = new JsonObject
            {
                ["parent"] = TaskStore.ToToolData(parent),
                ["message"] = "Every subtask of the parent task is now done, but the parent is still open. Ask the person whether "
                    + "to close the parent task too; if they agree, call update_task with the parent's task_id and status done.",
            };
        }

        return result;
    }
}

internal static class ArgumentExtensions
{
    public static string? Text(this JsonObject arguments, string name) => arguments[name]?.GetValue<string>();

    public static DateOnly? Date(this JsonObject arguments, string name) =>
        arguments.Text(name) is { } text && TaskRules.TryParseDate(text, out var date) ? date : null;
}
