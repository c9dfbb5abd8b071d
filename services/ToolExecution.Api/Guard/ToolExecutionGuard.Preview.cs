using System.Diagnostics;
using System.Text.Json.Nodes;
using LettaPlatform.AgentManagement.Client;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ServiceDefaults.Problems;
using LettaPlatform.ToolExecution.Api.Catalog;
using LettaPlatform.ToolExecution.Api.Model;
using LettaPlatform.ToolExecution.Api.Tools;

namespace LettaPlatform.ToolExecution.Api.Guard;

public sealed partial class ToolExecutionGuard
{
    /// <summary>
    /// What a call would change, for the person about to approve it. The call passes checks 1–3 (the tool
    /// is the agent's, the arguments are valid, the user may act on what they name) exactly as when it
    /// runs; approval, limits and idempotency do not apply, because a preview only reads. Every preview is
    /// one ledger row (decision <c>previewed</c>, or <c>denied</c>).
    /// </summary>
    public async Task<ToolCallPreview> PreviewAsync(PreviewToolCall request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var call = new ExecuteToolCall
        {
            UserId = request.UserId,
            AgentId = request.AgentId,
            TemplateId = "",
            SessionId = request.SessionId,
            ToolCallId = request.ToolCallId,
            ToolName = request.ToolName,
            ArgumentsJson = request.ArgumentsJson,
        };

        if (string.IsNullOrWhiteSpace(call.ToolCallId) || call.ToolCallId.Length > AuditLedger.MaxToolCallIdLength
            || !StorableText.IsStorable(call.ToolCallId) || !StorableText.IsStorable(call.ToolName) || !StorableText.IsStorableJson(call.ArgumentsJson))
        {
            return Unavailable(request, "The call cannot be previewed: its id, name or arguments are not usable.");
        }

        if (!ToolDefinitions.TryGet(call.ToolName, out var tool) || tool.Preview is null)
        {
            return Unavailable(request, $"'{call.ToolName}' has no preview.");
        }

        Contracts.AgentManagement.AgentResolved? agent;
        try
        {
            agent = await agents.FindAsync(call.UserId, call.AgentId, cancellationToken);
        }
        catch (AgentManagementUnavailableException)
        {
            return Unavailable(request, "The preview could not be made right now (the agent's template could not be checked).");
        }

        if (agent is null || agent.Tools.All(t => t.Name != tool.Name))
        {
            await DenyAsync(call, started, agent is null ? "agent_not_found" : "tool_not_allowed", "The agent may not use this tool.");
            return Unavailable(request, "The agent may not use this tool, so the call will be refused.");
        }

        var errors = ArgumentValidator.Validate(call.ArgumentsJson, tool.Parameters, out var arguments);
        if (errors.Count > 0 || arguments is null)
        {
            await DenyAsync(call, started, "invalid_arguments", string.Join(" ", errors));
            return Unavailable(request, $"The call's arguments are invalid, so it will be refused: {string.Join(" ", errors)}");
        }

        var handler = handlers.Single(h => h.Name == tool.Name);
        if (handler is not IToolPreview previewer)
        {
            return Unavailable(request, $"'{call.ToolName}' has no preview.");
        }

        if (await handler.AuthorizeAsync(call with { TemplateId = agent.TemplateId }, arguments, cancellationToken) is { } denial)
        {
            await DenyAsync(call, started, denial.Code, denial.Message);
            return Unavailable(request, $"The call will be refused ({denial.Code}): {denial.Message}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            var preview = await previewer.PreviewAsync(arguments, timeout.Token).WaitAsync(timeout.Token);
            await RecordAsync(call, started, AuditDecisions.Previewed, null, ToolCallStatus.Success, Summary(preview), cancellationToken);
            return new ToolCallPreview
            {
                ToolCallId = request.ToolCallId,
                Available = true,
                Kind = preview.Kind,
                Text = preview.Text,
                Truncated = preview.Truncated,
                Note = preview.Note,
            };
        }
        catch (Exception ex) when (ex is ToolFailureException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var (code, message) = ex is ToolFailureException failure ? (failure.Code, failure.Message) : ("timeout", "GitHub did not answer in time.");
            await RecordAsync(call, started, AuditDecisions.Previewed, code, ToolCallStatus.Error, ToolResults.Failure(ToolCallStatus.Error, code, message), cancellationToken);
            return Unavailable(request, $"The change could not be previewed: {message}");
        }
    }

    private static ToolCallPreview Unavailable(PreviewToolCall request, string note) =>
        new() { ToolCallId = request.ToolCallId, Available = false, Note = note };

    private static string Summary(ToolPreview preview) => new JsonObject
    {
        ["status"] = ToolCallStatus.Success,
        ["preview"] = new JsonObject { ["kind"] = preview.Kind, ["chars"] = preview.Text.Length, ["truncated"] = preview.Truncated, ["note"] = preview.Note },
    }.ToJsonString();
}
