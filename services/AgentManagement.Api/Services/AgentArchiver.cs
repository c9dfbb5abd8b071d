using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Letta;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// Archives an agent nobody uses: Active → Archiving (<see cref="ArchiveStep.Snapshotting"/> → <see cref="ArchiveStep.Verified"/>
/// → <see cref="ArchiveStep.Deleting"/>) → Archived. Each step runs with the agent's row locked and commits its new step
/// before the next starts, so a crash anywhere leaves a step that <see cref="ContinueAsync"/> (the worker, after a restart)
/// picks up, and the Letta agent is deleted only once a snapshot proved restorable is stored. The platform's row, the
/// chat history and memory-sync's versions stay; <see cref="AgentRestorer"/> brings the agent back when it is used.
/// </summary>
public sealed partial class AgentArchiver(
    AgentManagementDbContext db,
    ILettaClientFactory lettaClients,
    AgentCache cache,
    LettaPlacement placement,
    IRequestClient<ReadAgentMemory> memoryClient,
    ArchiveHooks hooks,
    AgentManagementMetrics metrics,
    TimeProvider timeProvider,
    ILogger<AgentArchiver> logger)
{
    /// <summary>
    /// Marks an active agent Archiving; with <paramref name="idleBefore"/>, only when it was last used before then
    /// (the worker's check, repeated here so an agent used meanwhile is left alone). False when it was not started.
    /// </summary>
    public async Task<bool> TryStartAsync(Guid agentId, DateTimeOffset? idleBefore, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var candidates = db.AgentConfigs.Where(a => a.Id == agentId && a.Status == AgentStatus.Active && a.LettaAgentId != null);
        if (idleBefore is { } before)
        {
            candidates = candidates.Where(a => a.LastActiveAt < before);
        }

        var started = await candidates.ExecuteUpdateAsync(set => set
            .SetProperty(a => a.Status, AgentStatus.Archiving)
            .SetProperty(a => a.ArchiveStep, ArchiveStep.Snapshotting)
            .SetProperty(a => a.UpdatedAt, now), cancellationToken) == 1;
        if (started)
        {
            LogArchiveStarted(agentId, idleBefore is null ? "on demand" : "idle");
            await cache.EvictAsync(await db.AgentConfigs.AsNoTracking().SingleAsync(a => a.Id == agentId, cancellationToken), cancellationToken);
        }

        return started;
    }

    /// <summary>Runs the agent's archiving from the step it is at to the end. Null when there is no such agent.</summary>
    public async Task<AgentConfig?> ContinueAsync(Guid agentId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var agent = await StepAsync(agentId, cancellationToken);
            if (agent is not { Status: AgentStatus.Archiving })
            {
                return agent;
            }
        }
    }

    /// <summary>One step, in its own transaction; answers the agent as it is after the step.</summary>
    private async Task<AgentConfig?> StepAsync(Guid agentId, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var archived = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var agent = await db.LockAgentAsync(agentId, ct);
            if (agent is not { Status: AgentStatus.Archiving })
            {
                return agent;
            }

            switch (agent.ArchiveStep)
            {
                case ArchiveStep.Snapshotting:
                    await hooks.ReachedAsync(ArchiveHooks.Snapshotting, agent.Id, ct);
                    var archive = await SnapshotAsync(agent, ct);
                    if (archive is null)
                    {
                        // Letta had already lost the agent: there is nothing to archive, and resolving it re-provisions it as before.
                        agent.Status = AgentStatus.Active;
                        agent.ArchiveStep = null;
                        break;
                    }

                    db.Archives.Add(archive);
                    agent.ArchiveStep = ArchiveStep.Verified;
                    break;

                case ArchiveStep.Verified:
                    await hooks.ReachedAsync(ArchiveHooks.Verified, agent.Id, ct);
                    agent.ArchiveStep = ArchiveStep.Deleting;
                    break;

                default:
                    await hooks.ReachedAsync(ArchiveHooks.Deleting, agent.Id, ct);
                    await DeleteFromLettaAsync(agent.LettaInstance, agent.LettaAgentId, ct);
                    await hooks.ReachedAsync(ArchiveHooks.Deleted, agent.Id, ct);
                    agent.Status = AgentStatus.Archived;
                    agent.ArchiveStep = null;
                    agent.ArchivedAt = timeProvider.GetUtcNow();
                    agent.LettaAgentId = null;
                    break;
            }

            agent.UpdatedAt = timeProvider.GetUtcNow();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return agent;
        }, cancellationToken);

        if (archived is { Status: AgentStatus.Archived })
        {
            var freed = await db.Archives.AsNoTracking().Where(a => a.AgentId == agentId).OrderByDescending(a => a.CreatedAt)
                .Select(a => a.AgentFileBytes).FirstAsync(cancellationToken);
            metrics.AgentArchived(archived.TemplateId, archived.LettaInstance, freed);
            LogArchived(archived.Id, archived.LettaInstance, freed);
            await placement.CountAgentsAsync(db, cancellationToken);
        }

        return archived;
    }

    /// <summary>
    /// The Agent File and memory-sync's versions, proved restorable: the file is imported as a check copy (tagged
    /// so a crash's leftover is found and removed next time), its blocks read back and compared, and the copy deleted.
    /// Null when Letta no longer has the agent. Throws when memory-sync does not answer or the check fails.
    /// </summary>
    private async Task<AgentArchive?> SnapshotAsync(AgentConfig agent, CancellationToken cancellationToken)
    {
        var letta = lettaClients.CreateClient(agent.LettaInstance);
        string agentFile;
        try
        {
            agentFile = await letta.ExportAgentAsync(agent.LettaAgentId!, cancellationToken: cancellationToken);
        }
        catch (LettaNotFoundException)
        {
            LogVanishedBeforeSnapshot(agent.Id, agent.LettaInstance);
            return null;
        }

        var memory = await ReadMemoryAsync(agent, cancellationToken);
        var contents = AgentFileContents.Read(agentFile);
        await VerifyRestorableAsync(letta, agent.Id, agentFile, contents, cancellationToken);

        var now = timeProvider.GetUtcNow();
        return new AgentArchive
        {
            Id = Guid.CreateVersion7(now),
            AgentId = agent.Id,
            LettaInstance = agent.LettaInstance,
            LettaAgentId = agent.LettaAgentId!,
            AgentFile = agentFile,
            Memory = JsonSerializer.Serialize(memory, JsonSerializerOptions.Web),
            AgentFileBytes = Encoding.UTF8.GetByteCount(agentFile),
            MessageCount = contents.MessageCount,
            BlockCount = contents.Blocks.Count,
            CreatedAt = now,
            VerifiedAt = now,
        };
    }

    private async Task VerifyRestorableAsync(ILettaClient letta, Guid agentId, string agentFile, AgentFileContents contents, CancellationToken cancellationToken)
    {
        var checkTag = CheckTag(agentId);
        await DeleteTaggedAsync(letta, checkTag, cancellationToken);
        var copy = AgentFileContents.Retagged(agentFile, $"archive-check-{agentId:N}", [checkTag]);
        var imported = (await letta.ImportAgentAsync(copy, new ImportAgentOptions(), cancellationToken)).AgentIds.Single();
        try
        {
            var blocks = await letta.ListAgentBlocksAsync(imported, cancellationToken);
            var restored = blocks.Where(b => b.Label is not null).ToDictionary(b => b.Label!, b => b.Value, StringComparer.Ordinal);
            var missing = contents.Blocks.Where(b => !restored.TryGetValue(b.Key, out var value) || value != b.Value).Select(b => b.Key).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"The snapshot of agent {agentId} did not restore blocks {string.Join(", ", missing)} as exported; the agent is not archived.");
            }
        }
        finally
        {
            await DeleteFromLettaAsync(letta.InstanceName, imported, CancellationToken.None);
        }
    }

    private async Task<AgentMemoryRead> ReadMemoryAsync(AgentConfig agent, CancellationToken cancellationToken)
    {
        try
        {
            var response = await memoryClient.GetResponse<AgentMemoryRead>(
                new ReadAgentMemory { AgentId = agent.Id, UserId = agent.UserId, IncludeHistory = true }, cancellationToken);
            return response.Message;
        }
        catch (Exception ex) when (ex is RequestTimeoutException or RequestFaultException && !cancellationToken.IsCancellationRequested)
        {
            throw new AgentMemoryUnavailableException(agent.Id, ex);
        }
    }

    private async Task DeleteFromLettaAsync(string instance, string? lettaAgentId, CancellationToken cancellationToken)
    {
        if (lettaAgentId is null)
        {
            return;
        }

        try
        {
            await lettaClients.CreateClient(instance).DeleteAgentAsync(lettaAgentId, cancellationToken);
        }
        catch (LettaNotFoundException)
        {
        }
    }

    /// <summary>Deletes every Letta agent with the tag: leftovers of a check or restore that a crash interrupted.</summary>
    internal static async Task DeleteTaggedAsync(ILettaClient letta, string tag, CancellationToken cancellationToken)
    {
        foreach (var leftover in await letta.ListAgentsAsync(new ListAgentsQuery { Tags = [tag], Limit = 100 }, cancellationToken))
        {
            try
            {
                await letta.DeleteAgentAsync(leftover.Id, cancellationToken);
            }
            catch (LettaNotFoundException)
            {
            }
        }
    }

    private static string CheckTag(Guid agentId) => $"archive-check:{agentId:N}";

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Archiving agent {AgentId} ({Reason})")]
    private partial void LogArchiveStarted(Guid agentId, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Archived agent {AgentId}: its verified snapshot is stored and it is deleted from {Instance}, freeing {FreedBytes} bytes")]
    private partial void LogArchived(Guid agentId, string instance, long freedBytes);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Agent {AgentId} was already gone from {Instance} when archiving began; it is left active and is re-provisioned when used")]
    private partial void LogVanishedBeforeSnapshot(Guid agentId, string instance);
}

/// <summary>What an Agent File holds, as far as archiving checks and reports it.</summary>
internal sealed record AgentFileContents(IReadOnlyDictionary<string, string> Blocks, int MessageCount)
{
    public static AgentFileContents Read(string agentFile)
    {
        var file = JsonNode.Parse(agentFile) as JsonObject ?? throw new InvalidOperationException("The Agent File is not a JSON object.");
        var blocks = (file["blocks"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(b => b["label"] is not null)
            .ToDictionary(b => (string)b["label"]!, b => (string?)b["value"] ?? "", StringComparer.Ordinal);
        var messages = (file["agents"] as JsonArray ?? []).OfType<JsonObject>().Sum(a => (a["messages"] as JsonArray)?.Count ?? 0);
        return new AgentFileContents(blocks, messages);
    }

    /// <summary>The file with its one agent renamed and given only <paramref name="tags"/>, for a copy that is told apart from the agent.</summary>
    public static string Retagged(string agentFile, string name, IReadOnlyList<string> tags)
    {
        var file = JsonNode.Parse(agentFile)!.AsObject();
        foreach (var agent in (file["agents"] as JsonArray ?? []).OfType<JsonObject>())
        {
            agent["name"] = name;
            agent["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)JsonValue.Create(t))]);
        }

        return file.ToJsonString();
    }
}
