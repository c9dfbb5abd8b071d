using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ToolExecution.Api.Catalog;
using LettaPlatform.ToolExecution.Api.Guard;
using LettaPlatform.ToolExecution.Api.Model;

namespace LettaPlatform.ToolExecution.Api.Tools;

public sealed class BreakDownTaskTool(TaskStore tasks) : IToolHandler
{
    private TaskItem? _task;
    private List<TaskItem> _existing = [];

    public string Name => TaskToolDefinitions.BreakDownTask;

    public async Task<ToolDenial?> AuthorizeAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(arguments.Text("task_id")!);
        _task = await tasks.FindAsync(call.UserId, id, cancellationToken);
        if (_task is null)
        {
            // Another user's task reads exactly like a task that does not exist.
            return new ToolDenial("task_not_found", $"The user has no task with task_id {id}. Use query_tasks to find the right task_id.");
        }

        if (_task.ParentId is { } parentId)
        {
            return new ToolDenial("task_is_subtask",
                $"Task {id} is itself a subtask (of {parentId}); subtasks are one level deep. Break down the parent task instead.");
        }

        _existing = [.. (await tasks.SubtasksAsync(call.UserId, [id], cancellationToken))[id]];
        var adding = arguments["subtasks"]!.AsArray().Count;
        return _existing.Count + adding > TaskRules.MaxSubtasks
            ? new ToolDenial("too_many_subtasks",
                $"Task {id} has {_existing.Count} subtasks; adding {adding} would pass the limit of {TaskRules.MaxSubtasks}. Add fewer, or group them.")
            : null;
    }

    public Task<JsonNode> ExecuteAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken)
    {
        var task = _task ?? throw new InvalidOperationException("break_down_task ran without being authorized.");
        var titles = arguments["subtasks"]!.AsArray().Select(title => title!.GetValue<string>()).ToList();
        var added = tasks.AddSubtasks(task, titles, _existing.Count);

        return Task.FromResult<JsonNode>(new JsonObject
        {
            ["added"] = added.Count,
            ["task"] = TaskStore.ToToolData(task, [.. _existing, .. added]),
        });
    }
}

public sealed class TaskProgressReportTool(TaskStore tasks) : IToolHandler
{
    public string Name => TaskToolDefinitions.TaskProgressReport;

    // Only the caller's own tasks are ever counted, so there is nothing else to authorize.
    public Task<ToolDenial?> AuthorizeAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken) =>
        Task.FromResult<ToolDenial?>(null);

    public async Task<JsonNode> ExecuteAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken)
    {
        var report = await tasks.ProgressAsync(
            call.UserId,
            arguments.Text("project_id"),
            arguments.Date("since"),
            arguments["due_soon_days"]?.GetValue<int>() ?? TaskRules.DefaultDueSoonDays,
            cancellationToken);

        var data = new JsonObject
        {
            ["today"] = Day(report.Today),
            ["project_id"] = report.ProjectId,
            ["total"] = report.Total,
            ["by_status"] = new JsonObject { ["todo"] = report.Todo, ["in_progress"] = report.InProgress, ["done"] = report.Done },
            ["by_project"] = new JsonArray([.. report.ByProject.Select(p => (JsonNode)new JsonObject
            {
                ["project_id"] = p.ProjectId,
                ["todo"] = p.Todo,
                ["in_progress"] = p.InProgress,
                ["done"] = p.Done,
            })]),
            ["overdue"] = Sample(report.Overdue),
            ["due_soon"] = Sample(report.DueSoon),
            ["due_soon_days"] = report.DueSoonDays,
        };
        if (report.Changes is { } changes)
        {
            data["changed_since"] = new JsonObject
            {
                ["since"] = Day(changes.Since),
                ["created"] = Sample(changes.Created),
                ["completed"] = Sample(changes.Completed),
                ["updated"] = Sample(changes.Updated),
            };
        }

        return data;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd");

    private static JsonObject Sample(TaskSample sample) => new()
    {
        ["count"] = sample.Count,
        ["tasks"] = new JsonArray([.. sample.Tasks.Select(t => (JsonNode)new JsonObject
        {
            ["task_id"] = t.Id.ToString(),
            ["title"] = ToolResults.Untrusted(t.Title),
            ["status"] = t.Status,
            ["priority"] = t.Priority,
            ["project_id"] = t.ProjectId,
            ["due_date"] = t.DueDate?.ToString("yyyy-MM-dd"),
        })]),
    };
}
