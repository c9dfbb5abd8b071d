namespace LettaPlatform.ToolExecution.Api.Model;

/// <summary>A user's task (named so it does not clash with <see cref="System.Threading.Tasks.Task"/>).</summary>
public sealed class TaskItem
{
    public required Guid Id { get; init; }
    public required string UserId { get; init; }
    public string? ProjectId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public required string Status { get; set; }
    public required string Priority { get; set; }
    public DateOnly? DueDate { get; set; }

    /// <summary>The task this one is a subtask of; subtasks are one level deep (a subtask has no subtasks).</summary>
    public Guid? ParentId { get; init; }

    /// <summary>The subtask's place among its parent's subtasks, from 1; 0 for a task that is not a subtask.</summary>
    public int Position { get; init; }

    /// <summary>When the task last became done; null while it is not done.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; set; }
}

public static class TaskStatuses
{
    public const string Todo = "todo";
    public const string InProgress = "in_progress";
    public const string Done = "done";

    public static readonly string[] All = [Todo, InProgress, Done];
}

public static class TaskPriorities
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";

    public static readonly string[] All = [Low, Medium, High];
}
