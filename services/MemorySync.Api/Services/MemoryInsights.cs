using System.Globalization;
using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LettaPlatform.MemorySync.Api.Services;

/// <summary>
/// Memory analytics from the block history: how full each block is, who changes it, and which of the agent's
/// edits people undid (a sign the agent learned something wrong) — per agent for its person, per template for
/// operators — with the insights that suggest an action. The rules live in <see cref="ChangeKinds"/> and below.
/// </summary>
public sealed class MemoryInsights(MemorySyncDbContext db, IOptions<MemorySyncOptions> options, TimeProvider time)
{
    /// <summary>Agent edits of one block in the period from which its content counts as churning.</summary>
    public const int FrequentAgentEdits = 20;

    private double NearLimitShare => options.Value.NearLimitShare;

    public async Task<AgentMemoryInsightsResponse> ForAgentAsync(MemoryAgent agent, int days, CancellationToken cancellationToken)
    {
        var since = Since(days);
        var blocks = await db.Blocks.AsNoTracking().Where(b => b.AgentId == agent.Id).OrderBy(b => b.Label).ToListAsync(cancellationToken);
        var activity = (await ActivityAsync(since, agent.Id, cancellationToken)).ToDictionary(row => row.Label);
        var results = blocks.Select(block =>
        {
            var row = activity.GetValueOrDefault(block.Label);
            return new BlockInsights(
                block.Label,
                block.Value.Length,
                block.Limit,
                Share(block.Value.Length, block.Limit),
                block.SyncState,
                row?.Counts ?? new ChangeCounts(0, 0, 0, 0, 0),
                row?.Reverted ?? 0,
                block.UpdatedBy,
                block.UpdatedAt);
        }).ToList();

        return new AgentMemoryInsightsResponse(agent.Id, agent.TemplateId, since, results, [.. results.SelectMany(block => ForBlock(block, days))]);
    }

    public async Task<MemoryAnalyticsResponse> ForTemplatesAsync(int days, CancellationToken cancellationToken)
    {
        var since = Since(days);
        var agents = await db.Database.SqlQuery<TemplateAgents>($"""
            SELECT coalesce(template_id, '') AS "TemplateId", count(*)::int AS "Agents"
            FROM agents WHERE deleted_at IS NULL GROUP BY 1
            """).ToListAsync(cancellationToken);
        var fill = await db.Database.SqlQuery<TemplateFill>($"""
            SELECT coalesce(a.template_id, '') AS "TemplateId", b.label AS "Label", count(*)::int AS "Blocks",
                   coalesce(avg(CASE WHEN b."limit" > 0 THEN length(b.value)::float8 / b."limit" END), 0) AS "AverageShare",
                   coalesce(max(CASE WHEN b."limit" > 0 THEN length(b.value)::float8 / b."limit" END), 0) AS "MaxShare",
                   count(*) FILTER (WHERE b."limit" > 0 AND length(b.value) >= b."limit" * {NearLimitShare})::int AS "NearLimit"
            FROM blocks b JOIN agents a ON a.id = b.agent_id AND a.deleted_at IS NULL
            GROUP BY 1, 2
            """).ToListAsync(cancellationToken);
        var activity = (await ActivityAsync(since, null, cancellationToken))
            .GroupBy(row => (row.TemplateId, row.Label))
            .ToDictionary(group => group.Key, group => (
                Counts: new ChangeCounts(group.Sum(r => r.Agent), group.Sum(r => r.User), group.Sum(r => r.Rollback), group.Sum(r => r.Restore), group.Sum(r => r.Platform)),
                Reverted: group.Sum(r => r.Reverted)));

        var templates = agents.OrderBy(t => t.TemplateId, StringComparer.Ordinal).Select(template =>
        {
            var stats = fill.Where(f => f.TemplateId == template.TemplateId).OrderBy(f => f.Label, StringComparer.Ordinal).Select(f =>
            {
                var changed = activity.GetValueOrDefault((f.TemplateId, f.Label));
                return new TemplateBlockStats(
                    f.Label,
                    f.Blocks,
                    Math.Round(f.AverageShare, 4),
                    Math.Round(f.MaxShare, 4),
                    f.NearLimit,
                    changed.Counts ?? new ChangeCounts(0, 0, 0, 0, 0),
                    changed.Reverted);
            }).ToList();
            var name = template.TemplateId.Length == 0 ? "unknown" : template.TemplateId;
            return new TemplateMemoryAnalytics(name, template.Agents, stats, [.. stats.SelectMany(s => ForTemplateBlock(s, days))]);
        }).ToList();

        return new MemoryAnalyticsResponse(since, NearLimitShare, templates);
    }

    /// <summary>What a person can do about one of their agent's blocks.</summary>
    private IEnumerable<Insight> ForBlock(BlockInsights block, int days)
    {
        if (block.Limit > 0 && block.ShareOfLimit >= NearLimitShare)
        {
            yield return new Insight("warning", "near_limit", block.Label,
                $"The {block.Label} block is at {Percent(block.ShareOfLimit)} of its limit ({block.Size} of {block.Limit} characters).",
                "Summarise it (edit the block and keep what matters) or ask an operator to raise its limit: once it is full the agent cannot add to it.");
        }

        if (block.RevertedAgentEdits > 0)
        {
            yield return new Insight("warning", "reverted_edits", block.Label,
                $"{Count(block.RevertedAgentEdits, "edit")} the agent made to {block.Label} {(block.RevertedAgentEdits == 1 ? "was" : "were")} undone in the last {Count(days, "day")}.",
                "The agent may have learned something wrong: tell it in the chat what to remember instead, or correct the block yourself.");
        }

        if (block.Changes.Agent >= FrequentAgentEdits)
        {
            yield return new Insight("info", "frequent_agent_edits", block.Label,
                $"The agent changed {block.Label} {Count(block.Changes.Agent, "time")} in the last {Count(days, "day")}.",
                "If its content keeps churning, tell the agent what belongs in this block and what does not.");
        }

        if (block.SyncState == SyncStates.Conflict)
        {
            yield return new Insight("warning", "conflict", block.Label,
                $"Your edit of {block.Label} and the agent's crossed.",
                "Open the block and choose which version to keep, or merge them.");
        }
        else if (block.SyncState == SyncStates.Pending)
        {
            yield return new Insight("info", "pending_sync", block.Label,
                $"The latest change to {block.Label} has not reached the agent yet.",
                "It is retried automatically; if it lasts, the agent's Letta server may be unreachable.");
        }
    }

    /// <summary>What an operator can do about one block label across a template's agents.</summary>
    private IEnumerable<Insight> ForTemplateBlock(TemplateBlockStats stats, int days)
    {
        if (stats.NearLimit > 0)
        {
            yield return new Insight("warning", "near_limit", stats.Label,
                $"{stats.NearLimit} of {Count(stats.Blocks, stats.Label + " block")} {(stats.NearLimit == 1 ? "is" : "are")} at {Percent(NearLimitShare)} of their limit or more (the fullest at {Percent(stats.MaxShareOfLimit)}).",
                "Raise the block's limit in the template's next version, or tell the agent in its persona to keep this block summarised.");
        }

        if (stats.RevertedAgentEdits > 0)
        {
            yield return new Insight("warning", "reverted_edits", stats.Label,
                $"People undid {stats.RevertedAgentEdits} of the agents' {Count(stats.Changes.Agent, "edit")} to {stats.Label} in the last {Count(days, "day")}.",
                "Review what the template asks the agent to keep in this block.");
        }

        if (stats.Blocks > 0 && stats.Changes.Agent >= FrequentAgentEdits * stats.Blocks)
        {
            yield return new Insight("info", "frequent_agent_edits", stats.Label,
                $"The agents changed {stats.Label} {stats.Changes.Agent / stats.Blocks} times each on average in the last {Count(days, "day")}.",
                "If its content churns, say in the template what belongs in this block.");
        }
    }

    /// <summary>
    /// Versions of the blocks changed since <paramref name="since"/>, counted by <see cref="ChangeKinds"/> (the
    /// same rule in SQL), per agent and label. A reverted agent edit is a person's version right after one of
    /// the agent's that rolls back, or restores exactly the value before the agent's edit; the window
    /// function reads the versions before the period too, so the first change in it is judged correctly.
    /// </summary>
    private Task<List<ActivityRow>> ActivityAsync(DateTimeOffset since, Guid? agentId, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<ActivityRow>($"""
            WITH touched AS (
                SELECT DISTINCT block_id FROM block_versions
                WHERE created_at >= {since} AND ({agentId}::uuid IS NULL OR agent_id = {agentId}::uuid)),
            history AS (
                SELECT v.agent_id, v.label, v.author, v.reason, v.created_at,
                       CASE WHEN v.reason LIKE 'rollback%' THEN 'rollback'
                            WHEN v.reason LIKE 'restore%' THEN 'restore'
                            WHEN v.author IN ('agent', 'user') THEN v.author
                            ELSE 'platform' END AS kind,
                       lag(v.author) OVER w AS previous_author,
                       v.value = lag(v.value, 2) OVER w AS restores_before_previous
                FROM block_versions v JOIN touched t ON t.block_id = v.block_id
                WINDOW w AS (PARTITION BY v.block_id ORDER BY v.version))
            SELECT h.agent_id AS "AgentId", coalesce(a.template_id, '') AS "TemplateId", h.label AS "Label",
                   count(*) FILTER (WHERE h.kind = 'agent')::int AS "Agent",
                   count(*) FILTER (WHERE h.kind = 'user')::int AS "User",
                   count(*) FILTER (WHERE h.kind = 'rollback')::int AS "Rollback",
                   count(*) FILTER (WHERE h.kind = 'restore')::int AS "Restore",
                   count(*) FILTER (WHERE h.kind = 'platform')::int AS "Platform",
                   count(*) FILTER (WHERE h.author = 'user' AND h.previous_author = 'agent'
                                      AND (h.kind = 'rollback' OR (h.reason = 'edit' AND h.restores_before_previous)))::int AS "Reverted"
            FROM history h JOIN agents a ON a.id = h.agent_id AND a.deleted_at IS NULL
            WHERE h.created_at >= {since}
            GROUP BY 1, 2, 3
            """).ToListAsync(cancellationToken);

    private DateTimeOffset Since(int days) => time.GetUtcNow() - TimeSpan.FromDays(days);

    private static double Share(int size, int limit) => limit > 0 ? Math.Round((double)size / limit, 4) : 0;

    private static string Percent(double share) => Math.Round(share * 100).ToString(CultureInfo.InvariantCulture) + "%";

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    private sealed record TemplateAgents(string TemplateId, int Agents);

    private sealed record TemplateFill(string TemplateId, string Label, int Blocks, double AverageShare, double MaxShare, int NearLimit);

    private sealed record ActivityRow(Guid AgentId, string TemplateId, string Label, int Agent, int User, int Rollback, int Restore, int Platform, int Reverted)
    {
        public ChangeCounts Counts => new(Agent, User, Rollback, Restore, Platform);
    }
}

/// <summary>Who a version counts as in the analytics and the metrics (the SQL in <see cref="MemoryInsights"/> follows the same rule).</summary>
public static class ChangeKinds
{
    public const string Agent = "agent";
    public const string User = "user";
    public const string Rollback = "rollback";
    public const string Restore = "restore";
    public const string Platform = "platform";

    public static string Of(string author, string reason) =>
        reason.StartsWith("rollback", StringComparison.Ordinal) ? Rollback
        : reason.StartsWith("restore", StringComparison.Ordinal) ? Restore
        : author == Authors.Agent ? Agent
        : author == Authors.User ? User
        : Platform;
}
