using LettaPlatform.Contracts.Chat;
using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Model;
using LettaPlatform.MemorySync.Api.Services;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.MemorySync.Api.Consumers;

/// <summary>
/// After a turn in which the agent called a memory tool, reads the agent's blocks from Letta and stores what
/// it changed as agent versions with the turn's provenance. Idempotent by nature: a redelivery finds Letta's
/// values already recorded. A turn without a memory call changed no block (Letta's agents edit their blocks
/// only through those tools), so it costs no Letta read; a block changed in Letta some other way is found by
/// the reconcile, as drift.
/// </summary>
public sealed partial class ChatTurnCompletedConsumer(
    MemorySyncDbContext db,
    AgentDirectory directory,
    BlockSync sync,
    ILettaClientFactory letta,
    ILogger<ChatTurnCompletedConsumer> logger) : IConsumer<ChatTurnCompleted>
{
    public async Task Consume(ConsumeContext<ChatTurnCompleted> context)
    {
        try
        {
            await RecordTurnAsync(context.Message, context.CancellationToken);
        }
        catch (LettaNotFoundException)
        {
            // The Letta agent is gone (deleted, or lost and awaiting AgentMigrated); its memory is safe here.
            LogAgentMissing(context.Message.TurnId, context.Message.AgentId);
        }
    }

    private async Task RecordTurnAsync(ChatTurnCompleted turn, CancellationToken cancellationToken)
    {
        if (turn.MemoryToolCallIds.Count == 0)
        {
            // Most turns: nothing in memory changed, so nothing to read or record (not even the agent's row).
            return;
        }

        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Id == turn.AgentId, cancellationToken);
        if (agent is null)
        {
            // The turn outran AgentProvisioned: what Letta holds now is our baseline, since nothing earlier was seen.
            await directory.RegisterAsync(new AgentRegistration(turn.AgentId, turn.UserId, turn.LettaInstance, turn.LettaAgentId, null), null, cancellationToken);
            return;
        }

        if (agent.UserId != turn.UserId || agent.DeletedAt is not null
            || !letta.InstanceNames.Contains(agent.LettaInstance, StringComparer.OrdinalIgnoreCase))
        {
            LogIgnored(turn.TurnId, turn.AgentId);
            return;
        }

        var blocks = await letta.CreateClient(agent.LettaInstance).ListAgentBlocksAsync(agent.LettaAgentId, cancellationToken);
        var source = new Provenance(turn.SessionId, Join(turn.RunIds), Join(turn.MemoryToolCallIds), turn.StartedAt);
        await sync.ObserveAsync(agent.Id, blocks, source, "turn", Authors.Agent, cancellationToken);
    }

    // Letta does not say which of a turn's runs or memory calls touched which block; a turn usually has one of each.
    private static string? Join(IReadOnlyList<string> ids) => ids.Count == 0 ? null : string.Join(",", ids);

    [LoggerMessage(LogLevel.Warning, "ChatTurnCompleted {TurnId}: Letta has no agent for {AgentId}; nothing recorded")]
    private partial void LogAgentMissing(Guid turnId, Guid agentId);

    [LoggerMessage(LogLevel.Warning, "ChatTurnCompleted {TurnId} for agent {AgentId} ignored: unknown owner, deleted agent or unconfigured Letta instance")]
    private partial void LogIgnored(Guid turnId, Guid agentId);
}
