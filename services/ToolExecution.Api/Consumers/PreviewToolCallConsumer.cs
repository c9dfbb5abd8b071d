using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ServiceDefaults.Messaging;
using LettaPlatform.ToolExecution.Api.Guard;
using MassTransit;

namespace LettaPlatform.ToolExecution.Api.Consumers;

/// <summary>Answers every <see cref="PreviewToolCall"/> with a <see cref="ToolCallPreview"/> (what the call would change, or why that cannot be shown).</summary>
public sealed class PreviewToolCallConsumer(ToolExecutionGuard guard) : IConsumer<PreviewToolCall>
{
    public async Task Consume(ConsumeContext<PreviewToolCall> context) =>
        await context.RespondAsync(await guard.PreviewAsync(context.Message, context.CancellationToken));
}

/// <summary>Received on <see cref="ToolExecutionQueues.PreviewToolCall"/>, where chat-api sends it before asking for an approval.</summary>
public sealed class PreviewToolCallConsumerDefinition(QueueNames queues)
    : RequestConsumerDefinition<PreviewToolCallConsumer>(queues, ToolExecutionQueues.PreviewToolCall);
