using LettaPlatform.Contracts.Chat;
using LettaPlatform.ServiceDefaults.Problems;
using LettaPlatform.ServiceDefaults.Messaging.Idempotency;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.Guard;
using MassTransit;

namespace LettaPlatform.ToolExecution.Api.Consumers;

/// <summary>Records each <see cref="ToolCallRefused"/> in the audit ledger, once however often it is delivered.</summary>
public sealed class ToolCallRefusedConsumer(ToolExecutionDbContext db, AuditLedger ledger, ToolExecutionMetrics metrics) : IConsumer<ToolCallRefused>
{
    public Task Consume(ConsumeContext<ToolCallRefused> context) =>
        db.ConsumeOnceAsync(context, this, cancellationToken =>
        {
            metrics.Denied(StorableText.Sanitize(context.Message.ToolName), context.Message.Reason);
            return ledger.StageRefusalAsync(context.Message, cancellationToken);
        });
}
