using System.Security.Claims;
using System.Text.Json;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Idempotency;
using LettaPlatform.ServiceDefaults.Paging;
using LettaPlatform.ServiceDefaults.Problems;
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

public sealed record CreateTaskRequest(string? Title, string? Description, string? ProjectId, string? Priority, string? DueDate);

/// <summary>The caller's tasks. Another user's task answers 404, exactly like a task that does not exist.</summary>
public static class TasksApi
{
    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/tasks").WithTags("Tasks");
        tasks.MapGet("", ListTasks).WithName("ListTasks");
        tasks.MapPost("", CreateTask).WithName("CreateTask").WithIdempotency();
        tasks.MapGet("/{id:guid}", GetTask).WithName("GetTask");
        tasks.MapPatch("/{id:guid}", UpdateTask).WithName("UpdateTask");
        return app;
    }

    public static async Task<Results<Ok<Page<TaskDto>>, ValidationProblem>> ListTasks(
        ClaimsPrincipal user, TaskStore store, string? status, string? projectId, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Pagination.TryRead<TimePosition>(limit, cursor, out var paging, out var problem))
        {
            return problem;
        }

        if (status is not null && !TaskStatuses.All.Contains(status))
        {
            return ApiProblems.Validation("status", StatusMessage);
        }

        var after = paging.HasPosition ? (paging.Position.At, paging.Position.Id) : ((DateTimeOffset, Guid)?)null;
        var items = await store.ListAsync(user.GetUserId(), status, projectId, text: null, paging.Limit + 1, after, cancellationToken);
        return TypedResults.Ok(Pagination.ToPage(items.Select(TaskDto.From).ToList(), paging.Limit, t => new TimePosition(t.CreatedAt, t.Id)));
    }

    public static async Task<Results<Created<TaskDto>, ValidationProblem>> CreateTask(
        CreateTaskRequest request, ClaimsPrincipal user, TaskStore store, ToolExecutionDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Title))
        {
            errors["title"] = ["title is required."];
        }

        CheckFields(errors, request.Title, request.Description, request.ProjectId, request.Priority, status: null, request.DueDate, out var dueDate);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

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
    public static async Task<Results<Ok<TaskDto>, ProblemHttpResult, ValidationProblem>> UpdateTask(
        Guid id, JsonElement body, ClaimsPrincipal user, TaskStore store, ToolExecutionDbContext db, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.Validation("", "The body must be a JSON object of the fields to change.");
        }

        var errors = new Dictionary<string, string[]>();
        var allowed = new[] { "title", "description", "status", "priority", "dueDate" };
        foreach (var property in body.EnumerateObject().Where(p => !allowed.Contains(p.Name)))
        {
            errors[property.Name] = [$"{property.Name} cannot be changed; the fields are {string.Join(", ", allowed)}."];
        }

        var title = String(body, "title", errors);
        var description = String(body, "description", errors);
        var status = String(body, "status", errors);
        var priority = String(body, "priority", errors);
        var dueDateText = String(body, "dueDate", errors);
        var clearDueDate = body.TryGetProperty("dueDate", out var due) && due.ValueKind == JsonValueKind.Null;
        if (body.TryGetProperty("title", out _) && string.IsNullOrWhiteSpace(title))
        {
            errors["title"] = ["title must not be empty."];
        }

        CheckFields(errors, title, description, projectId: null, priority, status, dueDateText, out var dueDate);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var task = await store.FindAsync(user.GetUserId(), id, cancellationToken);
        if (task is null)
        {
            return TaskMissing();
        }

        store.Apply(task, new TaskChanges(title, description, status, priority, dueDate, clearDueDate));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(TaskDto.From(task));
    }

    private const string StatusMessage = "status must be one of todo, in_progress, done.";

    private static void CheckFields(
        Dictionary<string, string[]> errors, string? title, string? description, string? projectId, string? priority, string? status, string? dueDateText, out DateOnly? dueDate)
    {
        dueDate = null;
        if (title is { Length: > TaskRules.TitleMaxLength })
        {
            errors["title"] = [$"title must be at most {TaskRules.TitleMaxLength} characters."];
        }

        if (description is { Length: > TaskRules.DescriptionMaxLength })
        {
            errors["description"] = [$"description must be at most {TaskRules.DescriptionMaxLength} characters."];
        }

        if (projectId is not null && !TaskRules.IsValidProjectId(projectId))
        {
            errors["projectId"] = [$"projectId must be letters, digits, '.', '_' or '-' (at most {TaskRules.ProjectIdMaxLength})."];
        }

        if (priority is not null && !TaskPriorities.All.Contains(priority))
        {
            errors["priority"] = ["priority must be one of low, medium, high."];
        }

        if (status is not null && !TaskStatuses.All.Contains(status))
        {
            errors["status"] = [StatusMessage];
        }

        if (dueDateText is not null)
        {
            if (TaskRules.TryParseDate(dueDateText, out var parsed))
            {
                dueDate = parsed;
            }
            else
            {
                errors["dueDate"] = ["dueDate must be a date as YYYY-MM-DD."];
            }
        }
    }

    private static string? String(JsonElement body, string name, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[name] = [$"{name} must be a string."];
            return null;
        }

        // This body is read as a JsonElement, past the converter that refuses unstorable text in records.
        if (!StorableText.IsStorable(value))
        {
            errors[name] = [$"{name}: {StorableText.Rule}"];
            return null;
        }

        return value.GetString();
    }
}
