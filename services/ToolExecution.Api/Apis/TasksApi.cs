using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Idempotency;
using LettaPlatform.ServiceDefaults.Paging;
using LettaPlatform.ServiceDefaults.Problems;
using LettaPlatform.ServiceDefaults.Validation;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.Model;
using LettaPlatform.ToolExecution.Api.Tools;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LettaPlatform.ToolExecution.Api.Apis;

/// <summary>
/// A task. A subtask has its <see cref="ParentId"/> and <see cref="Position"/> (from 1); a task that was broken
/// down has its <see cref="Subtasks"/> in order and its <see cref="Progress"/> (null when it has none).
/// </summary>
public sealed record TaskDto(
    Guid Id, string Title, string? Description, string Status, string Priority, string? ProjectId, DateOnly? DueDate,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, Guid? ParentId, int? Position, DateTimeOffset? CompletedAt,
    bool Overdue, SubtaskProgress? Progress, IReadOnlyList<TaskDto> Subtasks)
{
    public static TaskDto From(TaskItem t, DateOnly today, IEnumerable<TaskItem>? subtasks = null)
    {
        var children = subtasks?.Select(child => From(child, today)).ToList() ?? [];
        return new(t.Id, t.Title, t.Description, t.Status, t.Priority, t.ProjectId, t.DueDate, t.CreatedAt, t.UpdatedAt,
            t.ParentId, t.ParentId is null ? null : t.Position, t.CompletedAt,
            t.Status != TaskStatuses.Done && t.DueDate < today,
            children.Count == 0 ? null : new SubtaskProgress(children.Count(c => c.Status == TaskStatuses.Done), children.Count),
            children);
    }
}

/// <summary>The caller's tasks. Another user's task answers 404, exactly like a task that does not exist.</summary>
public static class TasksApi
{
    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/tasks").WithTags("Tasks");
        tasks.MapGet("", ListTasks).WithName("ListTasks")
            .WithSummary("List the caller's tasks")
            .WithDescription("Newest first, optionally only those with a `status` (`todo`, `in_progress`, `done`), a `priority` "
                + "(`low`, `medium`, `high`), in a `projectId`, due on or before `dueBefore` (YYYY-MM-DD), `overdue=true` (open and past "
                + "their due date), or `topLevel=true` (no subtasks: each task brings its `subtasks` in order, with its `progress`); "
                + "paged with `limit` (1 to 200, default 50) and `cursor` (the previous page's `nextCursor`).");
        tasks.MapPost("", CreateTask).WithName("CreateTask").WithIdempotency()
            .WithSummary("Create a task")
            .WithDescription("`title` is required; `description`, `projectId`, `priority` (`low`, `medium` by default, `high`) and `dueDate` "
                + "(YYYY-MM-DD) are optional. The task starts as `todo`; answers 201. Send `Idempotency-Key` to make a retry safe.");
        tasks.MapGet("/{id:guid}", GetTask).WithName("GetTask")
            .WithSummary("Get a task")
            .WithDescription("With its `subtasks` in order and its `progress` (`done` of `total`). "
                + "404 `task_not_found` when there is no such task or it is another user's.");
        tasks.MapPost("/{id:guid}/subtasks", BreakDownTask).WithName("BreakDownTask").WithIdempotency()
            .WithSummary("Break a task into subtasks")
            .WithDescription("`titles` (1 to 20, each at most 200 characters) become the task's subtasks, in that order after any it "
                + "already has; they take its project and start as `todo`. Answers 201 with the task, its subtasks and progress. "
                + "404 `task_not_found`; 422 `unprocessable` when the task is itself a subtask (subtasks are one level deep) or "
                + "would have more than 20 subtasks.");
        tasks.MapGet("/progress", GetProgress).WithName("GetTaskProgress")
            .WithSummary("Report the caller's progress")
            .WithDescription("Counts by status, overall and per project; the open tasks that are `overdue` and `dueSoon` (within "
                + "`dueSoonDays`, 1 to 60, default 7); and with `since` (YYYY-MM-DD) the tasks created, completed and otherwise "
                + "updated from that day on. `projectId` limits it to one project. Each list holds at most 10 tasks with its full `count`.");
        tasks.MapPatch("/{id:guid}", UpdateTask).WithName("UpdateTask")
            .WithSummary("Change a task")
            .WithDescription("Changes only the fields present in the body (`title`, `description`, `status`, `priority`, `dueDate`); "
                + "`\"dueDate\": null` removes the due date, and any other field is a 400. 404 `task_not_found`.");
        return app;
    }

    public static async Task<Results<Ok<Page<TaskDto>>, ValidationProblem>> ListTasks(
        ClaimsPrincipal user,
        TaskStore store,
        [OneOf(TaskStatuses.Todo, TaskStatuses.InProgress, TaskStatuses.Done)] string? status,
        string? projectId,
        [OneOf(TaskPriorities.Low, TaskPriorities.Medium, TaskPriorities.High)] string? priority,
        [IsoDate] string? dueBefore,
        bool? overdue,
        bool? topLevel,
        int? limit,
        string? cursor,
        CancellationToken cancellationToken)
    {
        if (!Pagination.TryRead<TimePosition>(limit, cursor, out var paging, out var problem))
        {
            return problem;
        }

        var userId = user.GetUserId();
        var after = paging.HasPosition ? (paging.Position.At, paging.Position.Id) : ((DateTimeOffset, Guid)?)null;
        var filter = new TaskQuery(Status: status, ProjectId: projectId, Priority: priority,
            DueBefore: dueBefore is null ? null : ParseDate(dueBefore), Overdue: overdue == true, TopLevel: topLevel == true);
        var items = await store.ListAsync(userId, filter, paging.Limit + 1, after, cancellationToken);
        var subtasks = await store.SubtasksAsync(userId, [.. items.Where(t => t.ParentId is null).Select(t => t.Id)], cancellationToken);
        var today = store.Today();
        return TypedResults.Ok(Pagination.ToPage(
            items.Select(t => TaskDto.From(t, today, subtasks[t.Id])).ToList(), paging.Limit, t => new TimePosition(t.CreatedAt, t.Id)));
    }

    public static async Task<Created<TaskDto>> CreateTask(
        CreateTaskRequest request, ClaimsPrincipal user, TaskStore store, ToolExecutionDbContext db, CancellationToken cancellationToken)
    {
        var dueDate = request.DueDate is null ? (DateOnly?)null : ParseDate(request.DueDate);
        var task = store.Create(user.GetUserId(), request.Title!, request.Description, request.ProjectId, request.Priority, dueDate);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/tasks/{task.Id}", TaskDto.From(task, store.Today()));
    }

    public static async Task<Results<Ok<TaskDto>, ProblemHttpResult>> GetTask(Guid id, ClaimsPrincipal user, TaskStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(user.GetUserId(), id, cancellationToken) is { } task
            ? TypedResults.Ok(await WithSubtasksAsync(task, store, cancellationToken))
            : TaskMissing();

    public static async Task<Results<Created<TaskDto>, ProblemHttpResult>> BreakDownTask(
        Guid id, BreakDownTaskRequest request, ClaimsPrincipal user, TaskStore store, ToolExecutionDbContext db, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var task = await store.FindAsync(userId, id, cancellationToken);
        if (task is null)
        {
            return TaskMissing();
        }

        if (task.ParentId is not null)
        {
            return ApiProblems.Unprocessable.Result("This task is itself a subtask; subtasks are one level deep. Break down its parent instead.");
        }

        var existing = (await store.SubtasksAsync(userId, [id], cancellationToken))[id].ToList();
        if (existing.Count + request.Titles!.Count > TaskRules.MaxSubtasks)
        {
            return ApiProblems.Unprocessable.Result(
                $"The task has {existing.Count} subtasks; adding {request.Titles.Count} would pass the limit of {TaskRules.MaxSubtasks}.");
        }

        store.AddSubtasks(task, request.Titles, existing.Count);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/tasks/{task.Id}", await WithSubtasksAsync(task, store, cancellationToken));
    }

    public static async Task<Ok<TaskProgressDto>> GetProgress(
        ClaimsPrincipal user,
        TaskStore store,
        [ProjectId] string? projectId,
        [IsoDate] string? since,
        [Range(1, TaskRules.MaxDueSoonDays, ErrorMessage = "dueSoonDays must be between {1} and {2}.")] int? dueSoonDays,
        CancellationToken cancellationToken)
    {
        var report = await store.ProgressAsync(
            user.GetUserId(), projectId, since is null ? null : ParseDate(since), dueSoonDays ?? TaskRules.DefaultDueSoonDays, cancellationToken);
        return TypedResults.Ok(TaskProgressDto.From(report));
    }

    private static async Task<TaskDto> WithSubtasksAsync(TaskItem task, TaskStore store, CancellationToken cancellationToken) =>
        TaskDto.From(task, store.Today(), (await store.SubtasksAsync(task.UserId, [task.Id], cancellationToken))[task.Id]);

    private static ProblemHttpResult TaskMissing() => ApiProblems.TaskNotFound.Result("You have no task with this id.");

    /// <summary>Changes the fields present in the body; <c>"dueDate": null</c> removes the due date.</summary>
    public static async Task<Results<Ok<TaskDto>, ProblemHttpResult>> UpdateTask(
        Guid id, UpdateTaskRequest request, ClaimsPrincipal user, TaskStore store, ToolExecutionDbContext db, CancellationToken cancellationToken)
    {
        var task = await store.FindAsync(user.GetUserId(), id, cancellationToken);
        if (task is null)
        {
            return TaskMissing();
        }

        var dueDate = request.DueDate is null ? (DateOnly?)null : ParseDate(request.DueDate);
        var clearDueDate = request.HasDueDate && request.DueDate is null;
        store.Apply(task, new TaskChanges(request.Title, request.Description, request.Status, request.Priority, dueDate, clearDueDate));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await WithSubtasksAsync(task, store, cancellationToken));
    }

    // The request's IsoDate rule has already accepted the text.
    private static DateOnly ParseDate(string text) => TaskRules.TryParseDate(text, out var date) ? date : throw new FormatException($"'{text}' is not a date.");
}
