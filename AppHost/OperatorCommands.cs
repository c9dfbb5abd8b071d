#pragma warning disable ASPIREINTERACTION001 // The dashboard's input dialogs are marked experimental in Aspire 13.

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using LettaPlatform.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LettaPlatform.AppHost;

/// <summary>
/// The platform's admin routes as dashboard commands on the resource that owns them. Each runs as an
/// operator (a dev token with the admin role, signed with the data folder's key), writes what the
/// service answered to that resource's log and reports failure with the service's own words.
/// </summary>
internal static class OperatorCommands
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(5) };

    public static IResourceBuilder<ProjectResource> WithMemoryCommands(this IResourceBuilder<ProjectResource> memory) =>
        memory
            .WithOperatorCommand("reconcile-memory", "Reconcile memory", "Compare every agent's blocks in Letta with the stored versions and record what drifted.",
                "ArrowSync", _ => Task.FromResult<HttpRequestMessage?>(new(HttpMethod.Post, "/api/memory/reconcile")), DescribeReconcile)
            .WithOperatorCommand("memory-overview", "Memory overview", "Blocks near their limit and the most edited blocks of the last 30 days.",
                "DataUsage", _ => Task.FromResult<HttpRequestMessage?>(new(HttpMethod.Get, "/api/memory/overview")));

    public static IResourceBuilder<ProjectResource> WithChatCommands(this IResourceBuilder<ProjectResource> chat) =>
        chat.WithOperatorCommand("turn-summary", "Turn summary", "The last hour's turns: counts by status, tokens, slowest turns and top error codes.",
            "DocumentSearch", _ => Task.FromResult<HttpRequestMessage?>(new(HttpMethod.Get, "/api/chat/admin/turns/summary")), DescribeTurnSummary);

    public static IResourceBuilder<ProjectResource> WithAgentCommands(this IResourceBuilder<ProjectResource> agents) =>
        agents
            .WithOperatorCommand("promote-rollout", "Promote rollout", "Move every agent of a template to the rollout's version.", "ArrowUp",
                context => RolloutRequestAsync(context, "promote"))
            .WithOperatorCommand("rollback-rollout", "Roll back rollout", "Return the rollout's canary agents to the previous version.", "ArrowUndo",
                context => RolloutRequestAsync(context, "rollback"))
            .WithOperatorCommand("move-agent", "Move agent", "Re-create an agent on another Letta instance with its memory.", "ArrowSwap",
                MoveAgentRequestAsync)
            .WithOperatorCommand("archive-agent", "Archive agent", "Snapshot an agent, prove the snapshot restorable, then delete it from Letta.", "Archive",
                context => AgentActionRequestAsync(context, "Archive agent", "archive"), DescribeArchive)
            .WithOperatorCommand("restore-agent", "Restore agent", "Re-create an archived agent in Letta from its snapshot with its latest memory.", "ArchiveArrowBack",
                context => AgentActionRequestAsync(context, "Restore agent", "restore"), DescribeArchive);

    /// <param name="describe">Turns a successful answer into the command's message and a Markdown result for the dashboard to show.</param>
    private static IResourceBuilder<ProjectResource> WithOperatorCommand(
        this IResourceBuilder<ProjectResource> service, string name, string displayName, string description, string icon,
        Func<ExecuteCommandContext, Task<HttpRequestMessage?>> createRequest, Func<JsonElement, CommandSummary>? describe = null)
    {
        var builder = service.ApplicationBuilder;
        return service.WithCommand(name, displayName, async context =>
        {
            using var request = await createRequest(context);
            if (request is null)
            {
                return CommandResults.Canceled();
            }

            var log = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(context.ResourceName);
            request.RequestUri = new Uri(new Uri(service.GetEndpoint("http").Url), request.RequestUri!);
            var token = new DevTokenIssuer(builder.DevSigningKey()).CreateToken("aspire-operator", "Operator (Aspire dashboard)", ["admin"], TimeSpan.FromMinutes(5));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
            try
            {
                using var response = await Http.SendAsync(request, context.CancellationToken);
                var body = await response.Content.ReadAsStringAsync(context.CancellationToken);
                log.LogInformation("{Command}: {Status} {Body}", displayName, (int)response.StatusCode, Indented(body));
                if (!response.IsSuccessStatusCode)
                {
                    return CommandResults.Failure($"{(int)response.StatusCode}: {Detail(body)}");
                }

                if (describe is null)
                {
                    return CommandResults.Success();
                }

                CommandSummary summary;
                try
                {
                    using var answer = JsonDocument.Parse(body);
                    summary = describe(answer.RootElement);
                }
                catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    // The answer is in the log as it came; a shape this version does not know is no reason to report failure.
                    return CommandResults.Success();
                }

                log.LogInformation("{Command}: {Summary}", displayName, summary.Message);
                return CommandResults.Success(summary.Message, summary.Markdown, CommandResultFormat.Markdown, summary.ShowAtOnce);
            }
            catch (HttpRequestException exception)
            {
                return CommandResults.Failure($"{service.Resource.Name} could not be reached: {exception.Message}");
            }
        }, new CommandOptions
        {
            Description = description,
            IconName = icon,
            UpdateState = context => context.ResourceSnapshot.HealthStatus is Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                ? ResourceCommandState.Enabled
                : ResourceCommandState.Disabled,
        });
    }

    /// <summary>
    /// The reconcile report in words, and every agent it could not compare with its reason, so an operator sees
    /// which agents failed and why without reading the JSON. The list opens at once when there are failures.
    /// </summary>
    internal static CommandSummary DescribeReconcile(JsonElement report)
    {
        var failures = report.GetProperty("failures").EnumerateArray().ToList();
        var message = $"Reconciled {report.GetProperty("agents").GetInt32()} agents: {failures.Count} failed, " +
            $"{report.GetProperty("agentsDrifted").GetInt32()} drifted ({report.GetProperty("driftVersions").GetInt32()} drift versions, " +
            $"{report.GetProperty("conflicts").GetInt32()} conflicts).";
        var markdown = new StringBuilder($"**{message}**\n");
        if (failures.Count > 0)
        {
            var reasons = failures.GroupBy(f => f.GetProperty("reason").GetString()).Select(g => $"{g.Count()} {g.Key}");
            markdown.Append($"\nFailed agents ({string.Join(", ", reasons)}):\n\n| agent | user | Letta instance | Letta agent | reason | detail |\n|---|---|---|---|---|---|\n");
            foreach (var failure in failures)
            {
                markdown.Append($"| {Cell(failure, "agentId")} | {Cell(failure, "userId")} | {Cell(failure, "lettaInstance")} | {Cell(failure, "lettaAgentId")} | {Cell(failure, "reason")} | {Cell(failure, "detail")} |\n");
            }
        }

        return new CommandSummary(message, markdown.ToString(), failures.Count > 0);

        static string Cell(JsonElement row, string name) => (row.GetProperty(name).GetString() ?? "").Replace("|", "\\|").ReplaceLineEndings(" ");
    }

    /// <summary>The window's turns in words, with the slowest turns and the top error codes as tables.</summary>
    internal static CommandSummary DescribeTurnSummary(JsonElement summary)
    {
        var byStatus = string.Join(", ", summary.GetProperty("byStatus").EnumerateObject().Select(s => $"{s.Value.GetInt32()} {s.Name}"));
        var message = $"{summary.GetProperty("turns").GetInt32()} turns in the last hour ({(byStatus.Length == 0 ? "none" : byStatus)}), " +
            $"{summary.GetProperty("people").GetInt32()} people, {summary.GetProperty("promptTokens").GetInt64() + summary.GetProperty("completionTokens").GetInt64()} tokens.";
        var markdown = new StringBuilder($"**{message}**\n\n| slowest turn | session | status | error | ms |\n|---|---|---|---|---|\n");
        foreach (var turn in summary.GetProperty("slowest").EnumerateArray())
        {
            markdown.Append($"| {turn.GetProperty("turnId").GetString()} | {turn.GetProperty("sessionId").GetString()} | {turn.GetProperty("status").GetString()} | " +
                $"{turn.GetProperty("errorCode").GetString()} | {turn.GetProperty("durationMs").GetDouble():0} |\n");
        }

        markdown.Append("\n| error code | turns |\n|---|---|\n");
        foreach (var error in summary.GetProperty("topErrorCodes").EnumerateArray())
        {
            markdown.Append($"| {error.GetProperty("code").GetString()} | {error.GetProperty("count").GetInt32()} |\n");
        }

        return new CommandSummary(message, markdown.ToString(), false);
    }

    /// <summary>The agent's state after an archive or restore, with the Letta footprint archiving freed.</summary>
    internal static CommandSummary DescribeArchive(JsonElement agent)
    {
        var status = agent.GetProperty("status").GetString();
        var message = $"Agent {agent.GetProperty("id").GetString()} is {status}";
        if (status == "archived" && agent.TryGetProperty("footprint", out var footprint) && footprint.ValueKind == JsonValueKind.Object)
        {
            message += $"; freed in Letta: {footprint.GetProperty("agentFileBytes").GetInt64()} bytes of Agent File, " +
                $"{footprint.GetProperty("messages").GetInt32()} messages, {footprint.GetProperty("blocks").GetInt32()} blocks";
        }
        else if (agent.TryGetProperty("lettaAgentId", out var lettaAgentId) && lettaAgentId.ValueKind == JsonValueKind.String)
        {
            message += $" on {agent.GetProperty("lettaInstance").GetString()} as {lettaAgentId.GetString()}";
        }

        return new CommandSummary(message + ".", $"**{message}.**", false);
    }

    private static async Task<HttpRequestMessage?> AgentActionRequestAsync(ExecuteCommandContext context, string title, string action)
    {
        var inputs = await PromptAsync(context, title, ("agent", "Agent id", "00000000-0000-0000-0000-000000000000"));
        return inputs is null ? null : new HttpRequestMessage(HttpMethod.Post, $"/api/agents/{Uri.EscapeDataString(inputs[0])}/{action}");
    }

    private static async Task<HttpRequestMessage?> RolloutRequestAsync(ExecuteCommandContext context, string action)
    {
        var inputs = await PromptAsync(context, action == "promote" ? "Promote rollout" : "Roll back rollout",
            ("template", "Template", "code-assistant"), ("rollout", "Rollout id", "00000000-0000-0000-0000-000000000000"));
        return inputs is null ? null : new HttpRequestMessage(HttpMethod.Post, $"/api/templates/{Uri.EscapeDataString(inputs[0])}/rollouts/{Uri.EscapeDataString(inputs[1])}/{action}");
    }

    private static async Task<HttpRequestMessage?> MoveAgentRequestAsync(ExecuteCommandContext context)
    {
        var inputs = await PromptAsync(context, "Move agent", ("agent", "Agent id", "00000000-0000-0000-0000-000000000000"), ("target", "Target Letta instance", "letta"));
        return inputs is null
            ? null
            : new HttpRequestMessage(HttpMethod.Post, $"/api/agents/{Uri.EscapeDataString(inputs[0])}/move")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { targetInstance = inputs[1] }), Encoding.UTF8, "application/json"),
            };
    }

    /// <summary>Asks the operator for the values in the dashboard; null when cancelled or when no dashboard is there to ask.</summary>
    private static async Task<string[]?> PromptAsync(ExecuteCommandContext context, string title, params (string Name, string Label, string Placeholder)[] fields)
    {
        var interaction = context.Services.GetRequiredService<IInteractionService>();
        if (!interaction.IsAvailable)
        {
            return null;
        }

        var result = await interaction.PromptInputsAsync(title, null,
            [.. fields.Select(field => new InteractionInput { Name = field.Name, Label = field.Label, Placeholder = field.Placeholder, InputType = InputType.Text, Required = true })],
            cancellationToken: context.CancellationToken);
        return result.Canceled ? null : [.. result.Data!.Select(input => input.Value?.Trim() ?? "")];
    }

    private static string Indented(string body)
    {
        try
        {
            return JsonSerializer.Serialize(JsonDocument.Parse(body).RootElement, new JsonSerializerOptions { WriteIndented = true });
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private static string Detail(string body)
    {
        try
        {
            var problem = JsonDocument.Parse(body).RootElement;
            return problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? body
                : problem.TryGetProperty("title", out var title) ? title.GetString() ?? body
                : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}

/// <summary>What a command's answer means: a one-line message and a Markdown result, shown at once when it needs attention.</summary>
internal sealed record CommandSummary(string Message, string Markdown, bool ShowAtOnce);
