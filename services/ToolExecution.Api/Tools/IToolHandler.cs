using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ToolExecution.Api.Guard;

namespace LettaPlatform.ToolExecution.Api.Tools;

/// <summary>
/// The code behind one catalog tool. The guard calls <see cref="AuthorizeAsync"/> (check 3) with
/// arguments already validated against the tool's schema, and <see cref="ExecuteAsync"/> only when
/// every check passed. Changes a handler makes to the scoped <c>ToolExecutionDbContext</c> are saved
/// by the guard together with the call's result and audit entry, in one transaction.
/// </summary>
public interface IToolHandler
{
    string Name { get; }

    Task<ToolDenial?> AuthorizeAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken);

    /// <summary>Returns the result data; throws <see cref="Guard.ToolFailureException"/> for a failure the agent should hear about.</summary>
    Task<JsonNode> ExecuteAsync(ExecuteToolCall call, JsonObject arguments, CancellationToken cancellationToken);
}
