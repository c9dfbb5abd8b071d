using System.Text.Json.Nodes;
using LettaPlatform.AgentManagement.Api.Model;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Letta;
using LettaCreateAgentRequest = LettaPlatform.Letta.CreateAgentRequest;

namespace LettaPlatform.AgentManagement.Api.Services;

/// <summary>How a platform agent looks in Letta: name, tags, metadata, system prompt and blocks from its template version.</summary>
public static class LettaAgentSpec
{
    /// <summary>Letta's current agent loop; with base tools it has memory_insert / memory_replace / conversation_search.</summary>
    public const string AgentType = "letta_v1_agent";

    /// <summary>
    /// The agent as its template version describes it; with <paramref name="memory"/> (memory-sync's latest
    /// versions), each block holds that value instead of the template's, and blocks the agent gained since
    /// (labels the template does not have) are created too. With <paramref name="sharedBlockId"/> (its project's shared
    /// block) the agent gets no <c>project_context</c> of its own: that block is attached instead.
    /// </summary>
    public static LettaCreateAgentRequest CreateRequest(
        AgentConfig agent, AgentTemplateVersion version, AgentModelsOptions models, IReadOnlyList<AgentMemoryBlock>? memory = null, string? sharedBlockId = null)
    {
        var (model, embedding) = models.For(agent.TemplateId);
        var blocks = memory is null ? [.. version.Blocks.Select(ToCreateBlock)] : WithMemory(version, memory);
        if (sharedBlockId is not null)
        {
            blocks.RemoveAll(b => b.Label == Project.SharedLabel);
        }

        return new LettaCreateAgentRequest
        {
            Name = Name(agent),
            Description = version.Description,
            System = version.SystemPrompt,
            AgentType = AgentType,
            IncludeBaseTools = true,
            Model = model,
            Embedding = embedding,
            MemoryBlocks = blocks,
            BlockIds = sharedBlockId is null ? null : [sharedBlockId],
            Tags = Tags(agent, version),
            Metadata = Metadata(agent, version),
        };
    }

    public static CreateBlockRequest ToCreateBlock(TemplateBlock block) => new()
    {
        Label = block.Label,
        Value = block.Value,
        Limit = block.Limit,
        Description = block.Description,
    };

    private static List<CreateBlockRequest> WithMemory(AgentTemplateVersion version, IReadOnlyList<AgentMemoryBlock> memory)
    {
        var blocks = version.Blocks.Select(block => memory.FirstOrDefault(m => m.Label == block.Label) is { } current
            ? ToCreateBlock(block) with { Value = current.Value, Limit = current.Limit }
            : ToCreateBlock(block)).ToList();
        blocks.AddRange(memory.Where(m => version.FindBlock(m.Label) is null)
            .Select(m => new CreateBlockRequest { Label = m.Label, Value = m.Value, Limit = m.Limit }));
        return blocks;
    }

    /// <summary>The template's tags plus the identity tags that let an operator find a person's agents in Letta.</summary>
    public static IReadOnlyList<string> Tags(AgentConfig agent, AgentTemplateVersion version) =>
        [.. version.Tags, $"user:{agent.UserId}", $"template:{agent.TemplateId}", AgentTag(agent.Id)];

    /// <summary>Finds the Letta agent of a claim whose claimer died between creating it and recording it.</summary>
    public static string AgentTag(Guid agentId) => $"platform-agent:{agentId:N}";

    public static JsonObject Metadata(AgentConfig agent, AgentTemplateVersion version) => new()
    {
        ["platform_agent_id"] = agent.Id.ToString(),
        ["user_id"] = agent.UserId,
        ["template_id"] = agent.TemplateId,
        ["template_version"] = version.Version,
        ["project_id"] = agent.ProjectId,
        ["tools"] = new JsonArray([.. version.Tools.Select(t => (JsonNode)new JsonObject { ["name"] = t.Name, ["requires_approval"] = t.RequiresApproval })]),
    };

    private static string Name(AgentConfig agent) => $"{agent.TemplateId}-{agent.Id:N}";
}
