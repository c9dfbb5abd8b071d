using LettaPlatform.ServiceDefaults.Messaging.Idempotency;
using MassTransit;

namespace LettaPlatform.ServiceDefaults.Tests.TestHost;

public sealed class OrderPlacedRecorder(Deliveries<OrderPlaced> deliveries) : IConsumer<OrderPlaced>
{
    public Task Consume(ConsumeContext<OrderPlaced> context)
    {
        deliveries.Add(context.MessageId, context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>Adds the credited amount to the account's balance: an effect that must happen once per message.</summary>
public sealed class AccountCreditedConsumer(TestDbContext db, Deliveries<AccountCredited> deliveries) : IConsumer<AccountCredited>
{
    public async Task Consume(ConsumeContext<AccountCredited> context)
    {
        var applied = await db.ConsumeOnceAsync(context, this, async cancellationToken =>
        {
            var account = await db.Accounts.FindAsync([context.Message.AccountId], cancellationToken)
                ?? throw new InvalidOperationException("No such account.");
            account.Balance += context.Message.Amount;
        });

        deliveries.Add(context.MessageId, context.Message, applied);
    }
}
