using System.ComponentModel.DataAnnotations;
using LettaPlatform.MemorySync.Api.Services;

namespace LettaPlatform.MemorySync.Api.Model;

/// <param name="ProjectId">
/// For a project's shared block (<c>project_context</c> of an agent in one of the person's projects): the project, whose
/// agents all hold this one block and see every edit; null for the agent's own blocks.
/// </param>
public sealed record BlockResponse(
    string Label,
    string Value,
    int Limit,
    int Version,
    string UpdatedBy,
    DateTimeOffset UpdatedAt,
    string SyncState,
    BlockConflict? Conflict,
    string? LastPushError,
    Guid? ProjectId = null);

/// <summary>Both sides of a conflict, as versions in the block's history.</summary>
public sealed record BlockConflict(int UserVersion, string UserValue, int AgentVersion, string AgentValue);

public sealed record UpdateBlockRequest(string? Value);

/// <summary>The version to roll back to; a missing one is refused before the handler runs (it used to read as version 0).</summary>
public sealed record RollbackRequest(
    [property: Required(ErrorMessage = RollbackRequest.VersionMessage), Range(1, int.MaxValue, ErrorMessage = RollbackRequest.VersionMessage)] int? Version)
{
    private const string VersionMessage = "version is required: the number (1 or more) of the version to roll back to.";
}

public sealed record ResolveConflictRequest(string? Keep, string? Value);

public sealed record VersionSource(Guid? SessionId, string? RunId, string? ToolCallId);

/// <param name="AgentId">
/// The agent whose block it is, or for a project's shared block the agent whose turn made the version (author <c>agent</c>)
/// or through whose memory routes the person made it (author <c>user</c>); null for a shared block's version made through
/// the project's routes or by the platform.
/// </param>
/// <param name="UserId">The person who made it, for author <c>user</c>.</param>
public sealed record VersionResponse(int Version, string Value, string Author, string Reason, VersionSource? Source, DateTimeOffset CreatedAt, Guid? AgentId, string? UserId);

public sealed record DiffResponse(int From, int To, IReadOnlyList<DiffLine> Lines);

public sealed record SnapshotBlockResponse(string Label, string Value, int Version, int Limit);

public sealed record SnapshotResponse(Guid Id, DateTimeOffset CreatedAt, string Trigger, bool HasAgentFile, IReadOnlyList<SnapshotBlockResponse> Blocks);

public sealed record RestoreResponse(Guid SnapshotId, IReadOnlyList<BlockResponse> Blocks);

/// <summary>
/// <c>drift</c>: <c>none</c>, <c>drifted</c> (Letta differs and memory-sync has not recorded it yet), <c>missing</c>
/// (no such block in Letta), <c>agent_missing</c> (Letta has no such agent; it is re-created with this memory) or
/// <c>unknown</c> (Letta unreachable).
/// </summary>
public sealed record BlockHealth(
    string Label,
    int Size,
    int Limit,
    double ShareOfLimit,
    string LastEditor,
    DateTimeOffset UpdatedAt,
    int Versions,
    string SyncState,
    string Drift,
    int? LettaSize);

/// <summary>
/// <see cref="Letta"/> says how the agent's Letta side stands: <c>ok</c>, <c>unreachable</c> (Letta did not answer;
/// <see cref="LettaReachable"/> is false) or <c>agent_missing</c> (Letta answered but has lost the agent:
/// agent-management re-creates it with the person's current memory when it is next used).
/// </summary>
public sealed record AgentHealthResponse(Guid AgentId, string LettaInstance, string LettaAgentId, bool LettaReachable, string Letta, IReadOnlyList<BlockHealth> Blocks);

public static class LettaStatuses
{
    public const string Ok = "ok";
    public const string Unreachable = "unreachable";
    public const string AgentMissing = "agent_missing";
}

public sealed record NearLimitBlock(Guid AgentId, string UserId, string Label, int Size, int Limit, double ShareOfLimit);

public sealed record EditCount(DateTime Day, string Author, int Count);

public sealed record ChangedBlock(Guid AgentId, string Label, int Versions);

public sealed record OutOfSyncAgent(Guid AgentId, int Pending, int Conflicts, bool DriftedAtLastReconcile);

public sealed record MemoryOverviewResponse(
    int Agents,
    int Blocks,
    IReadOnlyList<NearLimitBlock> BlocksNearLimit,
    IReadOnlyList<EditCount> EditsPerAuthor,
    IReadOnlyList<ChangedBlock> MostChangedBlocks,
    IReadOnlyList<OutOfSyncAgent> AgentsOutOfSync,
    ReconcileReport? LastReconcile);
