using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.ServiceDefaults.Data;
using MassTransit;

namespace LettaPlatform.MemorySync.Api.Consumers;

/// <summary>
/// Holds each message until memorydb's migrations are applied: the bus starts with the host and may deliver
/// before the tables exist, which would only burn the message's retries.
/// </summary>
public sealed class AwaitMigrationsFilter<T>(DatabaseInitializationState<MemorySyncDbContext> database) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        await database.Migrated.WaitAsync(context.CancellationToken);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("awaitMigrations");
}
