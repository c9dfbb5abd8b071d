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

public static class TaskSorts
{
    public const string Newest = "newest";
    public const string DueDate = "due_date";
    public const string Priority = "priority";
}

/// <summary>
/// Which of a user's tasks a list holds. <see cref="DueBefore"/> keeps tasks due on or before that day;
/// <see cref="Overdue"/> keeps open tasks due before today; <see cref="TopLevel"/> leaves subtasks out
/// (they come with their parent); <see cref="ParentId"/> keeps one task's subtasks.
/// </summary>
public sealed record TaskQuery(
    string? Status = null,
    string? ProjectId = null,
    string? Text = null,
    string? Priority = null,
    DateOnly? DueBefore = null,
    bool Overdue = false,
    bool TopLevel = false,
    Guid? ParentId = null,
    string Sort = TaskSorts.Newest);

/// <summary>How many of a task's subtasks are done.</summary>
public sealed record SubtaskProgress(int Done, int Total)
{
    public override string ToString() => $"{Done} of {Total} done";
}

/// <summary>Tasks of one user: the one place that creates, finds, lists and changes them (for people and for agents).</summary>
public sealed partial class TaskStore(ToolExecutionDbContext db, TimeProvider timeProvider)
{
    public TaskItem Create(string userId, string title, string? description, string? projectId, string? priority, DateOnly? dueDate) =>
        Add(userId, title, description, projectId, priority, dueDate, parentId: null, position: 0);

    /// <summary>
    /// Adds <paramref name="titles"/> as <paramref name="parent"/>'s subtasks, in that order after the
    /// <paramref name="existing"/> ones; each takes the parent's project.
    /// </summary>
    public List<TaskItem> AddSubtasks(TaskItem parent, IReadOnlyList<string> titles, int existing) =>
        [.. titles.Select((title, index) => Add(parent.UserId, title, null, parent.ProjectId, null, null, parent.Id, existing + index + 1))];

    /// <summary>The user's task, or null when there is none with this id for this user (another user's task included).</summary>
    public Task<TaskItem?> FindAsync(string userId, Guid id, CancellationToken cancellationToken) =>
        db.Tasks.SingleOrDefaultAsync(t => t.Id == id && t.UserId == userId, cancellationToken);

    /// <summary>The subtasks of the user's tasks <paramref name="parentIds"/>, each parent's in order.</summary>
    public async Task<ILookup<Guid, TaskItem>> SubtasksAsync(string userId, IReadOnlyCollection<Guid> parentIds, CancellationToken cancellationToken)
    {
        if (parentIds.Count == 0)
        {
            return Array.Empty<TaskItem>().ToLookup(t => t.ParentId!.Value);
        }

        var subtasks = await db.Tasks.AsNoTracking()
            .Where(t => t.UserId == userId && t.ParentId != null && parentIds.Contains(t.ParentId.Value))
            .OrderBy(t => t.ParentId).ThenBy(t => t.Position)
            .ToListAsync(cancellationToken);
        return subtasks.ToLookup(t => t.ParentId!.Value);
    }

    /// <summary>The other subtasks of <paramref name="subtask"/>'s parent that are not done (saved state).</summary>
    public Task<int> OpenSiblingsAsync(TaskItem subtask, CancellationToken cancellationToken) =>
        db.Tasks.CountAsync(t => t.ParentId == subtask.ParentId && t.Id != subtask.Id && t.Status != TaskStatuses.Done, cancellationToken);

    public void Apply(TaskItem task, TaskChanges changes)
    {
        var now = Now();
        if (changes.Status is { } status && status != task.Status)
        {
            task.CompletedAt = status == TaskStatuses.Done ? now : null;
        }

        task.Title = changes.Title?.Trim() ?? task.Title;
        task.Description = changes.Description ?? task.Description;
        task.Status = changes.Status ?? task.Status;
        task.Priority = changes.Priority ?? task.Priority;
        task.ProjectId = changes.ProjectId ?? task.ProjectId;
        task.DueDate = changes.ClearDueDate ? null : changes.DueDate ?? task.DueDate;
        task.UpdatedAt = now;
    }

    /// <summary>
    /// A page of the user's tasks that <paramref name="filter"/> keeps. Sorted newest first (then paged after
    /// the (created_at, id) <paramref name="after"/>), by due date (soonest first, undated last) or by priority
    /// (high first, then by due date); a parent's subtasks are always in their order.
    /// </summary>
    public async Task<List<TaskItem>> ListAsync(
        string userId, TaskQuery filter, int limit, (DateTimeOffset CreatedAt, Guid Id)? after, CancellationToken cancellationToken)
    {
        var query = Filter(db.Tasks.AsNoTracking().Where(t => t.UserId == userId), filter);
        if (after is { } cursor)
        {
            query = query.Where(t => EF.Functions.LessThan(
                ValueTuple.Create(t.CreatedAt, t.Id),
                ValueTuple.Create(cursor.CreatedAt, cursor.Id)));
        }

        var sorted = filter.ParentId is not null
            ? query.OrderBy(t => t.Position)
            : filter.Sort switch
            {
                TaskSorts.DueDate => query.OrderBy(t => t.DueDate == null).ThenBy(t => t.DueDate).ThenByDescending(t => t.CreatedAt),
                TaskSorts.Priority => query.OrderBy(t => t.Priority == TaskPriorities.High ? 0 : t.Priority == TaskPriorities.Medium ? 1 : 2)
                    .ThenBy(t => t.DueDate == null).ThenBy(t => t.DueDate).ThenByDescending(t => t.CreatedAt),
                _ => query.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
            };
        return await sorted.Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>The user's calendar day, taken as UTC: what "overdue" and "due soon" are measured from.</summary>
    public DateOnly Today() => DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);

    /// <summary>A task as an agent sees it: its text fields wrapped as untrusted data.</summary>
    public static JsonObject ToToolData(TaskItem task)
    {
        var data = new JsonObject
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
        if (task.ParentId is { } parentId)
        {
            data["parent_id"] = parentId.ToString();
            data["position"] = task.Position;
        }

        return data;
    }

    /// <summary>A task with its subtasks in order (their id, title and status) and how many are done.</summary>
    public static JsonObject ToToolData(TaskItem task, IEnumerable<TaskItem> subtasks)
    {
        var data = ToToolData(task);
        var children = subtasks.ToList();
        if (children.Count > 0)
        {
            data["subtasks"] = new JsonArray([.. children.Select(child => (JsonNode)new JsonObject
            {
                ["position"] = child.Position,
                ["task_id"] = child.Id.ToString(),
                ["title"] = Guard.ToolResults.Untrusted(child.Title),
                ["status"] = child.Status,
            })]);
            data["progress"] = Progress(children).ToString();
        }

        return data;
    }

    public static SubtaskProgress Progress(IEnumerable<TaskItem> subtasks)
    {
        var list = subtasks.ToList();
        return new SubtaskProgress(list.Count(t => t.Status == TaskStatuses.Done), list.Count);
    }

    private IQueryable<TaskItem> Filter(IQueryable<TaskItem> query, TaskQuery filter)
    {
        if (filter.Status is not null)
        {
            query = query.Where(t => t.Status == filter.Status);
        }

        if (filter.ProjectId is not null)
        {
            query = query.Where(t => t.ProjectId == filter.ProjectId);
        }

        if (filter.Priority is not null)
        {
            query = query.Where(t => t.Priority == filter.Priority);
        }

        if (filter.DueBefore is { } dueBefore)
        {
            query = query.Where(t => t.DueDate != null && t.DueDate <= dueBefore);
        }

        if (filter.Overdue)
        {
            var today = Today();
            query = query.Where(t => t.DueDate != null && t.DueDate < today && t.Status != TaskStatuses.Done);
        }

        if (filter.TopLevel)
        {
            query = query.Where(t => t.ParentId == null);
        }

        if (filter.ParentId is { } parentId)
        {
            query = query.Where(t => t.ParentId == parentId);
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var pattern = $"%{EscapeLike(filter.Text.Trim())}%";
            query = query.Where(t => EF.Functions.ILike(t.Title, pattern, "\\")
                || (t.Description != null && EF.Functions.ILike(t.Description, pattern, "\\")));
        }

        return query;
    }

    private TaskItem Add(string userId, string title, string? description, string? projectId, string? priority, DateOnly? dueDate, Guid? parentId, int position)
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
            ParentId = parentId,
            Position = position,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Tasks.Add(task);
        return task;
    }

    // PostgreSQL keeps microseconds; cutting the ticks below keeps a cursor built from this value exact.
    private DateTimeOffset Now()
    {
        var now = timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
