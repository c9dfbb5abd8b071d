using System.Text.Json.Nodes;
using LettaPlatform.AgentManagement.Client;
using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ToolExecution.Api.Catalog;
using LettaPlatform.ToolExecution.Api.Guard;
using Microsoft.Extensions.Options;

namespace LettaPlatform.ToolExecution.Api.Tools;

/// <summary>
/// <c>ask_agent</c>: the guard's part of a hand-off. It decides whether the hand-off may happen (check 3: the
/// other agent is one of the same person's, it is not the asking agent itself, the chain is not too deep) and
/// answers with the agent to hand to; chat-api then runs that agent's turn and gives its answer to the asking
/// agent. Every step inside the hand-off comes back through the guard with the chain's <see cref="HandOffContext"/>.
/// </summary>
public sealed class AskAgentTool(AgentDirectoryClient agents, IOptions<ToolExecutionOptions> options) : IToolHandler
{
    private AgentResolved? _target;

    public string Name => HandOffToolDefinitions.AskAgent;

    public async Task<ToolDenial?> AuthorizeAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken)
    {
        var depth = call.HandOff?.Depth ?? 0;
        var limit = options.Value.MaxHandOffDepth;
        if (depth >= limit)
        {
            return new ToolDenial("handoff_depth_exceeded",
                $"This conversation is already {depth} hand-off{(depth == 1 ? "" : "s")} deep, the most a chain may go ({limit}). "
                + "Do the work yourself or answer with what you have; do not ask another agent.");
        }

        var template = arguments.Text("agent")!;
        try
        {
            // By template, the hand-off goes to the person's agent in the asking agent's project, so both share its context.
            _target = arguments.Text("agent_id") is { } id
                ? await agents.FindAsync(call.UserId, Guid.Parse(id), cancellationToken)
                : await agents.ResolveByTemplateAsync(call.UserId, template, (await agents.FindAsync(call.UserId, call.AgentId, cancellationToken))?.ProjectId, cancellationToken);
        }
        catch (AgentManagementUnavailableException)
        {
            return new ToolDenial("agent_directory_unavailable", "The other agent could not be looked up right now. Try again in a moment, or answer without it.");
        }

        if (_target is null)
        {
            return new ToolDenial("agent_not_found",
                "That agent is not one of the user's agents; a hand-off only reaches the same person's agents. Ask one of theirs, or answer without it.");
        }

        if (_target.TemplateId != template)
        {
            return new ToolDenial("agent_not_found",
                $"The user's agent {_target.AgentId} is a {_target.TemplateId}, not a {template}. Name the agent it is, or leave agent_id out.");
        }

        if (_target.AgentId == call.AgentId)
        {
            return new ToolDenial("handoff_to_self", "You asked yourself; a hand-off goes to another of the user's agents. Do the work yourself.");
        }

        return null;
    }

    public Task<JsonNode> ExecuteAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken)
    {
        var target = _target ?? throw new InvalidOperationException($"{Name} ran without being authorized.");
        JsonNode data = new JsonObject
        {
            ["agent_id"] = target.AgentId.ToString(),
            ["template_id"] = target.TemplateId,
            ["depth"] = (call.HandOff?.Depth ?? 0) + 1,
        };
        return Task.FromResult(data);
    }
}
