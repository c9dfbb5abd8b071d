using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Letta;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>
/// Brings an existing Letta agent from one template version to another (forward in a rollout, back
/// in a rollback). Template tools are offered by chat-api as client tools on every turn, from the
/// version recorded in agent_configs, so the Letta side only needs the prompt, tags, metadata and blocks.
/// </summary>
public sealed class TemplateApplier(ILettaClientFactory lettaClients)
{
    public async Task ApplyAsync(AgentConfig agent, AgentTemplateVersion from, AgentTemplateVersion to, CancellationToken cancellationToken)
    {
        var letta = lettaClients.CreateClient(agent.LettaInstance);
        var lettaAgentId = agent.LettaAgentId!;
        var current = await letta.GetAgentAsync(lettaAgentId, [AgentInclude.Blocks], cancellationToken);

        await letta.ModifyAgentAsync(lettaAgentId, new UpdateAgentRequest
        {
            System = to.SystemPrompt,
            Description = to.Description,
            Tags = LettaAgentSpec.Tags(agent, to),
            Metadata = LettaAgentSpec.Metadata(agent, to),
        }, cancellationToken);

        // A project's shared block is the project's memory, not the template's: a version change neither rewrites nor removes it.
        foreach (var block in to.Blocks.Where(b => agent.ProjectBlockId is null || b.Label != Project.SharedLabel))
        {
            var existing = current.Blocks.FirstOrDefault(b => b.Label == block.Label);
            if (existing is null)
            {
                var created = await letta.CreateBlockAsync(LettaAgentSpec.ToCreateBlock(block), cancellationToken);
                await letta.AttachBlockAsync(lettaAgentId, created.Id, cancellationToken);
                continue;
            }

            // A template-owned block (the persona) follows the template only while it still holds the
            // old template's text: once the agent has rewritten it, that is memory, not template.
            if (!block.IsUserOwned && existing.Value != block.Value && from.FindBlock(block.Label)?.Value == existing.Value)
            {
                await letta.ModifyAgentBlockAsync(lettaAgentId, block.Label, new BlockUpdate { Value = block.Value, Description = block.Description }, cancellationToken);
            }
        }

        // Blocks the target version does not have came from the version being left; user-owned ones stay
        // regardless, because what they hold belongs to the person.
        foreach (var stale in current.Blocks.Where(b => b.Label is { } label
                     && b.Id != agent.ProjectBlockId
                     && to.FindBlock(label) is null
                     && from.FindBlock(label) is { IsUserOwned: false }))
        {
            await letta.DetachBlockAsync(lettaAgentId, stale.Id, cancellationToken);
            await letta.DeleteBlockAsync(stale.Id, cancellationToken);
        }
    }
}
