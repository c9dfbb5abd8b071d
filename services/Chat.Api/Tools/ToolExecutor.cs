using System.Diagnostics;
using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Chat.Api.Tools;

/// <summary>
/// Runs a tool call in tool-execution (<c>ExecuteToolCall</c> over RabbitMQ, with a timeout). Any
/// failure to get an answer becomes an error result that the agent sees, so a turn never hangs on the broker.
/// The call carries a start deadline (<c>RunBy</c>) well inside the timeout: a call delayed past it is
/// refused by tool-execution, so a call the turn gave up on never runs later. It also carries when the turn
/// stops waiting (<c>AnswerBy</c>): a call that starts late runs only until then. One that started in time
/// and lost only its answer (the broker went away meanwhile) may have run: the agent is told exactly that.
/// </summary>
public sealed partial class ToolExecutor(
    IRequestClient<ExecuteToolCall> client, IOptions<ChatOptions> options, TimeProvider timeProvider, ILogger<ToolExecutor> logger)
{
    public async Task<ToolCallExecuted> ExecuteAsync(ExecuteToolCall call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var timeout = options.Value.ToolCallTimeout;
        // The start window always ends well before the turn stops waiting (three quarters of the timeout at most):
        // a call that starts late runs only until AnswerBy, so what is left after the window is its least time to run.
        var window = options.Value.ToolCallStartWindow < timeout * 0.75 ? options.Value.ToolCallStartWindow : timeout * 0.75;
        var now = timeProvider.GetUtcNow();
        call = call with { RunBy = now + window, AnswerBy = now + timeout };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var response = await client.GetResponse<ToolCallExecuted>(call, deadline.Token, RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
            return response.Message;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            LogToolCallFailed(ex, call.ToolName, call.ToolCallId);
            return new ToolCallExecuted
            {
                ToolCallId = call.ToolCallId,
                ToolName = call.ToolName,
                Status = ToolCallStatus.Error,
                Result = NoAnswer(call.ToolName),
                DurationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            };
        }
    }

    /// <summary>
    /// What the agent is told when no answer came: the call may have started before the deadline and
    /// lost only its answer, so it may have run (once: tool-execution never runs a call id twice, nor one
    /// that arrives after its deadline). The same envelope as tool-execution's own failures.
    /// </summary>
    internal static string NoAnswer(string toolName) => new JsonObject
    {
        ["status"] = ToolCallStatus.Error,
        ["error"] = new JsonObject
        {
            ["code"] = OutcomeUnknown,
            ["message"] = $"The tool service did not answer in time, so it is not known whether '{toolName}' ran (if it did, it ran once). "
                + "Tell the user to check before asking for it again, and do not retry it in this turn.",
        },
    }.ToJsonString();

    public const string OutcomeUnknown = "outcome_unknown";

    [LoggerMessage(LogLevel.Warning, "Tool call {Tool} ({ToolCallId}) got no answer from tool-execution")]
    private partial void LogToolCallFailed(Exception exception, string tool, string toolCallId);
}
