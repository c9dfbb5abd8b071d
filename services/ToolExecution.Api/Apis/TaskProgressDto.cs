using LettaPlatform.ToolExecution.Api.Model;
using LettaPlatform.ToolExecution.Api.Tools;

namespace LettaPlatform.ToolExecution.Api.Apis;

/// <summary>A task as a progress report lists it.</summary>
public sealed record TaskSummaryDto(Guid Id, string Title, string Status, string Priority, string? ProjectId, DateOnly? DueDate, Guid? ParentId)
{
    public static TaskSummaryDto From(TaskItem t) => new(t.Id, t.Title, t.Status, t.Priority, t.ProjectId, t.DueDate, t.ParentId);
}

/// <summary>Up to 10 tasks of a list, with the list's full <see cref="Count"/>.</summary>
public sealed record TaskListSampleDto(int Count, IReadOnlyList<TaskSummaryDto> Tasks)
{
    public static TaskListSampleDto From(TaskSample sample) => new(sample.Count, [.. sample.Tasks.Select(TaskSummaryDto.From)]);
}

public sealed record StatusCountsDto(int Todo, int InProgress, int Done);

public sealed record ProjectProgressDto(string? ProjectId, int Todo, int InProgress, int Done);

public sealed record TaskChangesDto(DateOnly Since, TaskListSampleDto Created, TaskListSampleDto Completed, TaskListSampleDto Updated);

/// <summary>Where the caller's work stands on <see cref="Today"/> (UTC).</summary>
public sealed record TaskProgressDto(
    DateOnly Today,
    string? ProjectId,
    int Total,
    StatusCountsDto ByStatus,
    IReadOnlyList<ProjectProgressDto> ByProject,
    TaskListSampleDto Overdue,
    int DueSoonDays,
    TaskListSampleDto DueSoon,
    TaskChangesDto? Changes)
{
    public static TaskProgressDto From(TaskProgressReport report) => new(
        report.Today,
        report.ProjectId,
        report.Total,
        new StatusCountsDto(report.Todo, report.InProgress, report.Done),
        [.. report.ByProject.Select(p => new ProjectProgressDto(p.ProjectId, p.Todo, p.InProgress, p.Done))],
        TaskListSampleDto.From(report.Overdue),
        report.DueSoonDays,
        TaskListSampleDto.From(report.DueSoon),
        report.Changes is { } changes
            ? new TaskChangesDto(changes.Since, TaskListSampleDto.From(changes.Created), TaskListSampleDto.From(changes.Completed), TaskListSampleDto.From(changes.Updated))
            : null);
}
