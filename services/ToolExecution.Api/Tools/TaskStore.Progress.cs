using LettaPlatform.ToolExecution.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.ToolExecution.Api.Tools;

/// <summary>How many of a project's tasks are in each status (<see cref="ProjectId"/> null: tasks without a project).</summary>
public sealed record ProjectCounts(string? ProjectId, int Todo, int InProgress, int Done);

/// <summary>A list of tasks cut to a few, with how many there are in all.</summary>
public sealed record TaskSample(int Count, IReadOnlyList<TaskItem> Tasks);

/// <summary>What changed from the start of <see cref="Since"/> (UTC): tasks created, completed, and otherwise changed.</summary>
public sealed record TaskChangesSince(DateOnly Since, TaskSample Created, TaskSample Completed, TaskSample Updated);

/// <summary>Where the user's work stands on <see cref="Today"/>, over all their tasks or one project's.</summary>
public sealed record TaskProgressReport(
    DateOnly Today,
    string? ProjectId,
    int Total,
    int Todo,
    int InProgress,
    int Done,
    IReadOnlyList<ProjectCounts> ByProject,
    TaskSample Overdue,
    int DueSoonDays,
    TaskSample DueSoon,
    TaskChangesSince? Changes);

public sealed partial class TaskStore
{
    /// <summary>At most this many tasks are listed in each part of a report; the counts are always whole.</summary>
    public const int ReportSampleSize = 10;

    public async Task<TaskProgressReport> ProgressAsync(string userId, string? projectId, DateOnly? since, int dueSoonDays, CancellationToken cancellationToken)
    {
        var tasks = db.Tasks.AsNoTracking().Where(t => t.UserId == userId);
        if (projectId is not null)
        {
            tasks = tasks.Where(t => t.ProjectId == projectId);
        }

        var counts = await tasks
            .GroupBy(t => new { t.ProjectId, t.Status })
            .Select(g => new StatusCount(g.Key.ProjectId, g.Key.Status, g.Count()))
            .ToListAsync(cancellationToken);
        static int Count(string status, IEnumerable<StatusCount> rows) => rows.Where(r => r.Status == status).Sum(r => r.Count);
        var byProject = counts
            .GroupBy(c => c.ProjectId)
            .OrderBy(g => g.Key is null).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ProjectCounts(g.Key, Count(TaskStatuses.Todo, g), Count(TaskStatuses.InProgress, g), Count(TaskStatuses.Done, g)))
            .ToList();

        var today = Today();
        var dueSoonUntil = today.AddDays(dueSoonDays);
        var open = tasks.Where(t => t.Status != TaskStatuses.Done && t.DueDate != null);
        var overdue = await SampleAsync(open.Where(t => t.DueDate < today).OrderBy(t => t.DueDate).ThenBy(t => t.CreatedAt), cancellationToken);
        var dueSoon = await SampleAsync(
            open.Where(t => t.DueDate >= today && t.DueDate <= dueSoonUntil).OrderBy(t => t.DueDate).ThenBy(t => t.CreatedAt), cancellationToken);

        TaskChangesSince? changes = null;
        if (since is { } day)
        {
            var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            changes = new TaskChangesSince(
                day,
                await SampleAsync(tasks.Where(t => t.CreatedAt >= from).OrderByDescending(t => t.CreatedAt), cancellationToken),
                await SampleAsync(
                    tasks.Where(t => t.Status == TaskStatuses.Done && t.CompletedAt >= from).OrderByDescending(t => t.CompletedAt), cancellationToken),
                await SampleAsync(
                    tasks.Where(t => t.UpdatedAt >= from && t.CreatedAt < from && !(t.Status == TaskStatuses.Done && t.CompletedAt >= from))
                        .OrderByDescending(t => t.UpdatedAt),
                    cancellationToken));
        }

        return new TaskProgressReport(
            today,
            projectId,
            byProject.Sum(p => p.Todo + p.InProgress + p.Done),
            byProject.Sum(p => p.Todo),
            byProject.Sum(p => p.InProgress),
            byProject.Sum(p => p.Done),
            byProject,
            overdue,
            dueSoonDays,
            dueSoon,
            changes);
    }

    private sealed record StatusCount(string? ProjectId, string Status, int Count);

    private static async Task<TaskSample> SampleAsync(IQueryable<TaskItem> query, CancellationToken cancellationToken) =>
        new(await query.CountAsync(cancellationToken), await query.Take(ReportSampleSize).ToListAsync(cancellationToken));
}
