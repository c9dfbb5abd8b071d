namespace LettaPlatform.MemorySync.Api.Model;

/// <summary>
/// The head of one block's history. <see cref="Value"/> is the latest version (the truth);
/// <see cref="LettaValue"/> is what Letta is known to hold, so a Letta value that is neither of the two
/// can only be an edit the agent made since.
/// </summary>
public sealed class MemoryBlock
{
    public required Guid Id { get; init; }
    public required Guid AgentId { get; init; }
    public required string Label { get; init; }
    public int Limit { get; set; }

    /// <summary>The Letta block id, for a project's shared block: it is read and written in Letta by this id, not through an agent.</summary>
    public string? LettaBlockId { get; set; }
    public string Value { get; set; } = "";
    public int CurrentVersion { get; set; }
    public string UpdatedBy { get; set; } = Authors.System;
    public DateTimeOffset UpdatedAt { get; set; }
    public string SyncState { get; set; } = SyncStates.Synced;

    /// <summary>Null when unknown (a freshly re-created Letta agent holds only its template's defaults).</summary>
    public string? LettaValue { get; set; }
    public DateTimeOffset? LastSyncedAt { get; set; }

    public int? ConflictUserVersion { get; set; }
    public int? ConflictAgentVersion { get; set; }

    public int PushAttempts { get; set; }
    public DateTimeOffset? NextPushAt { get; set; }
    public string? LastPushError { get; set; }

    /// <summary>PostgreSQL <c>xmin</c>: API, consumers, the push worker and reconcile may touch a block at once.</summary>
    public uint RowVersion { get; set; }
}

public static class Authors
{
    public const string User = "user";
    public const string Agent = "agent";
    public const string System = "system";
}

public static class SyncStates
{
    public const string Synced = "synced";
    public const string Pending = "pending";
    public const string Conflict = "conflict";
}
