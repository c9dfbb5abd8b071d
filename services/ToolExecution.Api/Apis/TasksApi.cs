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

public sealed record TaskDto(
    Guid Id, string Title, string? Description, string Status, string Priority, string? ProjectId, DateOnly? DueDate,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TaskDto From(TaskItem t) => new(t.Id, t.Title, t.Description, t.Status, t.Priority, t.ProjectId, t.DueDate, t.CreatedAt, t.UpdatedAt);
}

/// <summary>The caller's tasks. Another user's task answers 404, exactly like a task that does not exist.</summary>
public static class TasksApi
{
    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/tasks").WithTags("Tasks");
        tasks.MapGet("", ListTasks).WithName("ListTasks")
            .WithSummary("List the caller's tasks")
            .WithDescription("Newest first, optionally only those with a `status` (`todo`, `in_progress`, `done`) or in a `projectId`; "
                + "paged with `limit` (1 to 200, default 50) and `cursor` (the previous page's `nextCursor`).");
        tasks.MapPost("", CreateTask).WithName("CreateTask").WithIdempotency()
            .WithSummary("Create a task")
            .WithDescription("`title` is required; `description`, `projectId`, `priority` (`low`, `medium` by default, `high`) and `dueDate` "
                + "(YYYY-MM-DD) are optional. The task starts as `todo`; answers 201. Send `Idempotency-Key` to make a retry safe.");
        tasks.MapGet("/{id:guid}", GetTask).WithName("GetTask")
            .WithSummary("Get a task")
            .WithDescription("404 `task_not_found` when there is no such task or it is another user's.");
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
        int? limit,
        string? cursor,
        CancellationToken cancellationToken)
    {
        if (!Pagination.TryRead<TimePosition>(limit, cursor, out var paging, out var problem))
        {
            return problem;
        }

        var after = paging.HasPosition ? (paging.Position.At, paging.Position.Id) : ((DateTimeOffset, Guid)?)null;
        var items = await store.ListAsync(user.GetUserId(), status, projectId, text: null, paging.Limit + 1, after, cancellationToken);
        return TypedResults.Ok(Pagination.ToPage(items.Select(TaskDto.From).ToList(), paging.Limit, t => new TimePosition(t.CreatedAt, t.Id)));
    }

    public static async Task<Created<TaskDto>> CreateTask(
        CreateTaskRequest request, ClaimsPrincipal user, TaskStore store, ToolExecutionDbContext db, CancellationToken cancellationToken)
    {
        var dueDate = request.DueDate is null ? (DateOnly?)null : ParseDate(request.DueDate);
        var task = store.Create(user.GetUserId(), request.Title!, request.Description, request.ProjectId, request.Priority, dueDate);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/tasks/{task.Id}", TaskDto.From(task));
    }

    public static async Task<Results<Ok<TaskDto>, ProblemHttpResult>> GetTask(Guid id, ClaimsPrincipal user, TaskStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(user.GetUserId(), id, cancellationToken) is { } task
            ? TypedResults.Ok(TaskDto.From(task))
            : TaskMissing();

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
        return TypedResults.Ok(TaskDto.From(task));
    }

    // The request's IsoDate rule has already accepted the text.
    private static DateOnly ParseDate(string text) => TaskRules.TryParseDate(text, out var date) ? date : throw new FormatException($"'{text}' is not a date.");
}
