using System.Text.Json.Nodes;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.ToolExecution.Api.Tools;

/// <summary>What a change to a task sets; a null member is left as it is (<see cref="ClearDueDate"/> removes the due date).</summary>
public sealed record TaskChanges(
    string? Title = null,
    string? Description = null,
    string? Status = null,
    string? Priority = null,
    DateOnly? DueDate = null,
    bool ClearDueDate = false,
    string? ProjectId = null);

/// <summary>Tasks of one user: the one place that creates, finds, lists and changes them (for people and for agents).</summary>
public sealed class TaskStore(ToolExecutionDbContext db, TimeProvider timeProvider)
{
    public TaskItem Create(string userId, string title, string? description, string? projectId, string? priority, DateOnly? dueDate)
    {
        var now = Now();
        var task = new TaskItem
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            ProjectId = projectId,
            Title = title.Trim(),
            Description = description,
            Status = TaskStatuses.Todo,
            Priority = priority ?? TaskPriorities.Medium,
            DueDate = dueDate,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Tasks.Add(task);
        return task;
    }

    /// <summary>The user's task, or null when there is none with this id for this user (another user's task included).</summary>
    public Task<TaskItem?> FindAsync(string userId, Guid id, CancellationToken cancellationToken) =>
        db.Tasks.SingleOrDefaultAsync(t => t.Id == id && t.UserId == userId, cancellationToken);

    public void Apply(TaskItem task, TaskChanges changes)
    {
        task.Title = changes.Title?.Trim() ?? task.Title;
        task.Description = changes.Description ?? task.Description;
        task.Status = changes.Status ?? task.Status;
        task.Priority = changes.Priority ?? task.Priority;
        task.ProjectId = changes.ProjectId ?? task.ProjectId;
        task.DueDate = changes.ClearDueDate ? null : changes.DueDate ?? task.DueDate;
        task.UpdatedAt = Now();
    }

    /// <summary>A page of the user's tasks, newest first, after the (created_at, id) <paramref name="after"/>.</summary>
    public async Task<List<TaskItem>> ListAsync(
        string userId, string? status, string? projectId, string? text, int limit, (DateTimeOffset CreatedAt, Guid Id)? after, CancellationToken cancellationToken)
    {
        var query = db.Tasks.AsNoTracking().Where(t => t.UserId == userId);
        if (status is not null)
        {
            query = query.Where(t => t.Status == status);
        }

        if (projectId is not null)
        {
            query = query.Where(t => t.ProjectId == projectId);
        }

        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = $"%{EscapeLike(text.Trim())}%";
            query = query.Where(t => EF.Functions.ILike(t.Title, pattern, "\\")
                || (t.Description != null && EF.Functions.ILike(t.Description, pattern, "\\")));
        }

        if (after is { } cursor)
        {
            query = query.Where(t => EF.Functions.LessThan(
                ValueTuple.Create(t.CreatedAt, t.Id),
                ValueTuple.Create(cursor.CreatedAt, cursor.Id)));
        }

        return await query
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }

    /// <summary>A task as an agent sees it: its text fields wrapped as untrusted data.</summary>
    public static JsonObject ToToolData(TaskItem task) => new()
    {
        ["task_id"] = task.Id.ToString(),
        ["title"] = Guard.ToolResults.Untrusted(task.Title),
        ["description"] = Guard.ToolResults.Untrusted(task.Description),
        ["status"] = task.Status,
        ["priority"] = task.Priority,
        ["project_id"] = task.ProjectId,
        ["due_date"] = task.DueDate?.ToString("yyyy-MM-dd"),
        ["created_at"] = task.CreatedAt.ToString("O"),
        ["updated_at"] = task.UpdatedAt.ToString("O"),
    };

    // PostgreSQL keeps microseconds; cutting the ticks below keeps a cursor built from this value exact.
    private DateTimeOffset Now()
    {
        var now = timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
