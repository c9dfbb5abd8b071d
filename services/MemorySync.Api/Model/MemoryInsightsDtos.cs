namespace LettaPlatform.MemorySync.Api.Model;

/// <summary>
/// Who changed a block in the period: the agent, the person (edits and conflict resolutions), the person's
/// rollbacks, restores from a snapshot, and the platform (provisioning, blocks Letta added).
/// </summary>
public sealed record ChangeCounts(int Agent, int User, int Rollback, int Restore, int Platform);

/// <summary>One block of one agent: its fill, its changes in the period, and the agent's edits people undid.</summary>
public sealed record BlockInsights(
    string Label,
    int Size,
    int Limit,
    double ShareOfLimit,
    string SyncState,
    ChangeCounts Changes,
    int RevertedAgentEdits,
    string LastChangedBy,
    DateTimeOffset LastChangedAt);

/// <summary>
/// Something worth acting on. <c>severity</c> is <c>warning</c> or <c>info</c>; <c>kind</c> is one of
/// <c>near_limit</c>, <c>reverted_edits</c>, <c>frequent_agent_edits</c>, <c>conflict</c>, <c>pending_sync</c>;
/// <c>action</c> says what to do about it.
/// </summary>
public sealed record Insight(string Severity, string Kind, string Label, string Message, string Action);

public sealed record AgentMemoryInsightsResponse(
    Guid AgentId,
    string? TemplateId,
    DateTimeOffset Since,
    IReadOnlyList<BlockInsights> Blocks,
    IReadOnlyList<Insight> Insights);

/// <summary>One block label across a template's live agents.</summary>
public sealed record TemplateBlockStats(
    string Label,
    int Blocks,
    double AverageShareOfLimit,
    double MaxShareOfLimit,
    int NearLimit,
    ChangeCounts Changes,
    int RevertedAgentEdits);

public sealed record TemplateMemoryAnalytics(string TemplateId, int Agents, IReadOnlyList<TemplateBlockStats> Blocks, IReadOnlyList<Insight> Insights);

public sealed record MemoryAnalyticsResponse(DateTimeOffset Since, double NearLimitShare, IReadOnlyList<TemplateMemoryAnalytics> Templates);
