using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ServiceDefaults.Messaging;
using LettaPlatform.ToolExecution.Api.Guard;
using MassTransit;

namespace LettaPlatform.ToolExecution.Api.Consumers;

/// <summary>
/// Answers every <see cref="ExecuteToolCall"/> with a <see cref="ToolCallExecuted"/>, whatever the
/// guard decides. A redelivery is answered again, with the stored result (<c>Replayed = true</c>).
/// </summary>
public sealed class ExecuteToolCallConsumer(ToolExecutionGuard guard) : IConsumer<ExecuteToolCall>
{
    public async Task Consume(ConsumeContext<ExecuteToolCall> context) =>
        await context.RespondAsync(await guard.ExecuteAsync(context.Message, context.CancellationToken));
}

/// <summary>Received on <see cref="ToolExecutionQueues.ExecuteToolCall"/>, where chat-api sends it.</summary>
public sealed class ExecuteToolCallConsumerDefinition(QueueNames queues)
    : RequestConsumerDefinition<ExecuteToolCallConsumer>(queues, ToolExecutionQueues.ExecuteToolCall);
