namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// Points in archiving and restoring where a test can stop the work, as a crash there would: the base class does
/// nothing. Each point is reached inside the step's transaction, so throwing leaves the step uncommitted.
/// </summary>
public class ArchiveHooks
{
    /// <summary>Archiving is about to take the snapshot.</summary>
    public const string Snapshotting = "snapshotting";

    /// <summary>The verified snapshot is stored; deleting is about to be recorded.</summary>
    public const string Verified = "verified";

    /// <summary>Deleting is recorded; the Letta agent is about to be deleted.</summary>
    public const string Deleting = "deleting";

    /// <summary>The Letta agent is deleted; the archived state is about to be committed.</summary>
    public const string Deleted = "deleted";

    /// <summary>The snapshot is imported into Letta; the restored state is about to be committed.</summary>
    public const string Restored = "restored";

    public virtual Task ReachedAsync(string point, Guid agentId, CancellationToken cancellationToken) => Task.CompletedTask;
}
