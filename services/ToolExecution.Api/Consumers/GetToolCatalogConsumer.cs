using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ServiceDefaults.Messaging;
using LettaPlatform.ToolExecution.Api.Catalog;
using MassTransit;

namespace LettaPlatform.ToolExecution.Api.Consumers;

/// <summary>Answers <see cref="GetToolCatalog"/>: how chat-api learns the tools to offer Letta, without calling this service over HTTP.</summary>
public sealed class GetToolCatalogConsumer : IConsumer<GetToolCatalog>
{
    public Task Consume(ConsumeContext<GetToolCatalog> context) =>
        context.RespondAsync(new ToolCatalog { Tools = [.. ToolDefinitions.All.Select(t => t.ToContract())] });
}

/// <summary>Received on <see cref="ToolExecutionQueues.GetToolCatalog"/>, where chat-api sends it.</summary>
public sealed class GetToolCatalogConsumerDefinition(QueueNames queues)
    : RequestConsumerDefinition<GetToolCatalogConsumer>(queues, ToolExecutionQueues.GetToolCatalog);
