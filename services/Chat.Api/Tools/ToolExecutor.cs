using System.Diagnostics;
using LettaPlatform.Contracts.ToolExecution;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Chat.Api.Tools;

/// <summary>
/// Runs a tool call in tool-execution (<c>ExecuteToolCall</c> over RabbitMQ, with a timeout). Any
/// failure to get an answer becomes an error result that the agent sees, so a turn never hangs on the broker.
/// The call carries a start deadline (<c>RunBy</c>) well inside the timeout: a call delayed past it is
/// refused by tool-execution, so "the tool did not answer" never hides a call that ran later.
/// </summary>
public sealed partial class ToolExecutor(
    IRequestClient<ExecuteToolCall> client, IOptions<ChatOptions> options, TimeProvider timeProvider, ILogger<ToolExecutor> logger)
{
    public async Task<ToolCallExecuted> ExecuteAsync(ExecuteToolCall call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var timeout = options.Value.ToolCallTimeout;
        call = call with { RunBy = timeProvider.GetUtcNow() + options.Value.ToolCallStartWindow };
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
                Result = $"Error: the tool '{call.ToolName}' could not be run right now (the tool service did not answer). Tell the user and do not retry it in this turn.",
                DurationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            };
        }
    }

    [LoggerMessage(LogLevel.Warning, "Tool call {Tool} ({ToolCallId}) got no answer from tool-execution")]
    private partial void LogToolCallFailed(Exception exception, string tool, string toolCallId);
}
