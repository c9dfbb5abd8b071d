using System.Runtime.CompilerServices;
using LettaPlatform.MemorySync.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LettaPlatform.MemorySync.Api.Services;

/// <summary>
/// Counts (and logs, event 4001) block versions in <see cref="MemorySyncMetrics"/> once they are saved, not when they are staged: a
/// save that loses a concurrency race is retried with new versions, and only what is in memorydb is counted.
/// </summary>
public sealed partial class VersionMetricsInterceptor(MemorySyncMetrics metrics, ILogger<VersionMetricsInterceptor> logger) : ISaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<Staged>> _staged = [];

    /// <summary>Called as a version is appended (with what the version row alone does not say: template and limit).</summary>
    public void Stage(DbContext context, BlockVersion version, string? templateId, int limit)
    {
        var staged = _staged.GetOrCreateValue(context);
        lock (staged)
        {
            staged.Add(new Staged(version.Id, version.AgentId, version.Version, ChangeKinds.Of(version.Author, version.Reason), version.Label, templateId ?? "unknown", version.Value.Length, limit));
        }
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        KeepOnlyAdded(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        KeepOnlyAdded(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Record(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>A version staged and then dropped (the change tracker cleared) is not in this save.</summary>
    private void KeepOnlyAdded(DbContext? context)
    {
        if (context is null || !_staged.TryGetValue(context, out var staged))
        {
            return;
        }

        var added = context.ChangeTracker.Entries<BlockVersion>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.Id).ToHashSet();
        lock (staged)
        {
            staged.RemoveAll(s => !added.Contains(s.VersionId));
        }
    }

    private void Record(DbContext? context)
    {
        if (context is null || !_staged.TryGetValue(context, out var staged))
        {
            return;
        }

        _staged.Remove(context);
        lock (staged)
        {
            foreach (var version in staged)
            {
                metrics.VersionSaved(version.Kind, version.Label, version.Template, version.Size, version.Limit);
                LogVersionWritten(version.AgentId, version.Label, version.Number, version.Kind);
            }
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _staged.Remove(context);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Memory version {Version} of agent {AgentId} block {Label} written ({Kind})")]
    private partial void LogVersionWritten(Guid agentId, string label, int version, string kind);

    private sealed record Staged(Guid VersionId, Guid AgentId, int Number, string Kind, string Label, string Template, int Size, int Limit);
}
