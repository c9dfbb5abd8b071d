using MassTransit;

namespace LettaPlatform.ServiceDefaults.Messaging;

/// <summary>The service database's migrations being applied, as one task consumers can wait on.</summary>
public sealed record DatabaseMigrationGate(Task Migrated);

/// <summary>
/// Holds each message until the service's database migrations are applied: the bus starts with the
/// host and may deliver before the tables exist, which would only burn the message's retries.
/// </summary>
public sealed class AwaitMigrationsFilter<T>(DatabaseMigrationGate gate) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        await gate.Migrated.WaitAsync(context.CancellationToken);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("awaitMigrations");
}
