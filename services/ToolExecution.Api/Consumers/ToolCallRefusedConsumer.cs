using LettaPlatform.Contracts.Chat;
using LettaPlatform.ServiceDefaults.Messaging.Idempotency;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.Guard;
using MassTransit;

namespace LettaPlatform.ToolExecution.Api.Consumers;

/// <summary>Records each <see cref="ToolCallRefused"/> in the audit ledger, once however often it is delivered.</summary>
public sealed class ToolCallRefusedConsumer(ToolExecutionDbContext db, ToolExecutionGuard guard) : IConsumer<ToolCallRefused>
{
    public Task Consume(ConsumeContext<ToolCallRefused> context) =>
        db.ConsumeOnceAsync(context, this, cancellationToken => guard.StageRefusalAsync(context.Message, cancellationToken));
}
