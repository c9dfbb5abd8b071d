using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging.Idempotency;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using LettaPlatform.ServiceDefaults.Tests.TestHost;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LettaPlatform.ServiceDefaults.Tests;

public sealed class OutboxTests(InfrastructureFixture infrastructure)
{
    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveChanges_WithStagedPublish_CommitsBothAndDeliversWithOutboxIdAsMessageId()
    {
        var database = await infrastructure.CreateDatabaseAsync("outbox");
        using var host = await ServiceHost.StartAsync(database, infrastructure.RabbitMqConnectionString);

        var order = new Order { Id = Guid.NewGuid(), Item = "book" };
        Guid outboxId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            db.Orders.Add(order);
            outboxId = db.Outbox().Publish(new OrderPlaced { OrderId = order.Id, Item = order.Item });
            await db.SaveChangesAsync(CancellationToken);
        }

        var delivered = await host.Services.GetRequiredService<Deliveries<OrderPlaced>>()
            .WaitForAsync(m => m.OrderId == order.Id);

        var delivery = Assert.Single(delivered);
        Assert.Equal(outboxId, delivery.MessageId);
        Assert.Equal("book", delivery.Message.Item);

        await using var check = host.Services.CreateAsyncScope();
        var checkDb = check.ServiceProvider.GetRequiredService<TestDbContext>();
        Assert.True(await checkDb.Orders.AnyAsync(o => o.Id == order.Id, CancellationToken));
        var row = await WaitForDispatchAsync(checkDb, outboxId);
        Assert.NotNull(row.DispatchedAt);
    }

    [Fact]
    public async Task RolledBackTransaction_WithStagedPublish_PublishesNothing()
    {
        var database = await infrastructure.CreateDatabaseAsync("outbox");
        using var host = await ServiceHost.StartAsync(database, infrastructure.RabbitMqConnectionString);
        var deliveries = host.Services.GetRequiredService<Deliveries<OrderPlaced>>();

        var rolledBack = Guid.NewGuid();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();

            // An explicit transaction runs inside the execution strategy, as it must with retries on.
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                db.Orders.Add(new Order { Id = rolledBack, Item = "rolled back" });
                db.Outbox().Publish(new OrderPlaced { OrderId = rolledBack, Item = "rolled back" });
                await db.SaveChangesAsync(ct);
                await transaction.RollbackAsync(ct);
            }, CancellationToken);
            db.ChangeTracker.Clear();
        }

        // The relay publishes in commit order, so once a later committed message has arrived,
        // the rolled-back one would have arrived before it if it had been published at all.
        var committed = Guid.NewGuid();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            db.Outbox().Publish(new OrderPlaced { OrderId = committed, Item = "committed" });
            await db.SaveChangesAsync(CancellationToken);
        }

        Assert.Single(await deliveries.WaitForAsync(m => m.OrderId == committed));
        Assert.DoesNotContain(deliveries.All, d => d.Message.OrderId == rolledBack);

        await using var check = host.Services.CreateAsyncScope();
        var checkDb = check.ServiceProvider.GetRequiredService<TestDbContext>();
        Assert.Equal(1, await checkDb.Set<OutboxMessage>().CountAsync(CancellationToken));
        Assert.False(await checkDb.Orders.AnyAsync(o => o.Id == rolledBack, CancellationToken));
    }

    [Fact]
    public async Task Relay_WhenBrokerUnreachable_KeepsMessageAndDeliversItOnceABrokerIsReachable()
    {
        // "Unreachable" is simulated by a first host whose bus points at a closed port; the broker
        // "coming back" is a second host on the same database pointed at the real broker, the way a
        // restarted replica would pick up what the first one could not send. The broker itself is
        // shared by the whole test run, so it is never actually stopped.
        var database = await infrastructure.CreateDatabaseAsync("outbox");
        var closedPort = $"amqp://guest:guest@127.0.0.1:{FreeTcpPort()}";

        var orderId = Guid.NewGuid();
        Guid outboxId;
        using (var unreachable = ServiceHost.Build(database, closedPort))
        {
            await unreachable.StartAsync(CancellationToken);
            await unreachable.Services.GetRequiredService<DatabaseInitializationState<TestDbContext>>().Migrated
                .WaitAsync(TimeSpan.FromSeconds(30), CancellationToken);
            await using (var scope = unreachable.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
                outboxId = db.Outbox().Publish(new OrderPlaced { OrderId = orderId, Item = "patience" });
                await db.SaveChangesAsync(CancellationToken);
            }

            await using (var scope = unreachable.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
                var row = await WaitForAsync(db, outboxId, m => m.Attempts >= 2);
                Assert.Null(row.DispatchedAt);
                Assert.NotNull(row.LastError);
            }

            Assert.True(OldestPendingAge(unreachable.Services) > 0, "the relay's backlog age stays 0 while it cannot publish");

            await unreachable.StopAsync(CancellationToken);
        }

        // A subscriber that is already listening, as the other services are; the new host's relay
        // may publish before its own queues are bound.
        using var subscriber = await ServiceHost.StartAsync(await infrastructure.CreateDatabaseAsync("subscriber"), infrastructure.RabbitMqConnectionString);
        using var reachable = await ServiceHost.StartAsync(database, infrastructure.RabbitMqConnectionString);
        var delivered = await subscriber.Services.GetRequiredService<Deliveries<OrderPlaced>>()
            .WaitForAsync(m => m.OrderId == orderId);

        Assert.Equal(outboxId, Assert.Single(delivered).MessageId);
        await using var check = reachable.Services.CreateAsyncScope();
        var dispatched = await WaitForDispatchAsync(check.ServiceProvider.GetRequiredService<TestDbContext>(), outboxId);
        Assert.NotNull(dispatched.DispatchedAt);
        Assert.Null(dispatched.LastError);
    }

    [Fact]
    public async Task ConsumeOnceAsync_SameMessageIdDeliveredTwice_AppliesEffectOnce()
    {
        var database = await infrastructure.CreateDatabaseAsync("idempotency");
        using var host = await ServiceHost.StartAsync(database, infrastructure.RabbitMqConnectionString);

        var accountId = Guid.NewGuid();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            db.Accounts.Add(new Account { Id = accountId, Balance = 100m });
            await db.SaveChangesAsync(CancellationToken);
        }

        var bus = host.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();
        var message = new AccountCredited { AccountId = accountId, Amount = 25m };
        for (var i = 0; i < 2; i++)
        {
            await bus.Publish(message, context => context.MessageId = messageId, CancellationToken);
        }

        var deliveries = await host.Services.GetRequiredService<Deliveries<AccountCredited>>()
            .WaitForAsync(m => m.AccountId == accountId, count: 2);

        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(messageId, d.MessageId));
        Assert.Equal(1, deliveries.Count(d => d.Applied));

        await using var check = host.Services.CreateAsyncScope();
        var account = await check.ServiceProvider.GetRequiredService<TestDbContext>().Accounts
            .SingleAsync(a => a.Id == accountId, CancellationToken);
        Assert.Equal(125m, account.Balance);
    }

    private static Task<OutboxMessage> WaitForDispatchAsync(TestDbContext db, Guid id) =>
        WaitForAsync(db, id, m => m.DispatchedAt is not null);

    private static async Task<OutboxMessage> WaitForAsync(TestDbContext db, Guid id, Func<OutboxMessage, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var row = await db.Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == id, CancellationToken);
            if (condition(row) || DateTime.UtcNow >= deadline)
            {
                return row;
            }

            await Task.Delay(100, CancellationToken);
        }
    }

    [Fact]
    public async Task Relay_OnStart_DeletesOnlyRowsPastTheirRetention()
    {
        var database = await infrastructure.CreateDatabaseAsync("outbox");
        using (await ServiceHost.StartAsync(database, infrastructure.RabbitMqConnectionString))
        {
            // Only to create the tables.
        }

        var now = DateTimeOffset.UtcNow;
        var oldDispatched = Guid.NewGuid();
        var recentDispatched = Guid.NewGuid();
        var oldProcessed = Guid.NewGuid();
        var recentProcessed = Guid.NewGuid();
        await using (var db = Open(database))
        {
            db.Set<OutboxMessage>().AddRange(
                new OutboxMessage { Id = oldDispatched, MessageType = "old", Body = "{}", CreatedAt = now.AddDays(-2), DispatchedAt = now.AddDays(-2) },
                new OutboxMessage { Id = recentDispatched, MessageType = "recent", Body = "{}", CreatedAt = now.AddHours(-1), DispatchedAt = now.AddHours(-1) });
            db.Set<ProcessedMessage>().AddRange(
                new ProcessedMessage { Consumer = "orders", MessageId = oldProcessed, ProcessedAt = now.AddDays(-8) },
                new ProcessedMessage { Consumer = "orders", MessageId = recentProcessed, ProcessedAt = now.AddDays(-6) });
            await db.SaveChangesAsync(CancellationToken);
        }

        using var host = await ServiceHost.StartAsync(database, infrastructure.RabbitMqConnectionString);

        await using var check = Open(database);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline
            && await check.Set<ProcessedMessage>().AnyAsync(m => m.MessageId == oldProcessed, CancellationToken))
        {
            await Task.Delay(100, CancellationToken);
        }

        var outboxIds = await check.Set<OutboxMessage>().Select(m => m.Id).ToListAsync(CancellationToken);
        var processedIds = await check.Set<ProcessedMessage>().Select(m => m.MessageId).ToListAsync(CancellationToken);
        Assert.DoesNotContain(oldDispatched, outboxIds);
        Assert.Contains(recentDispatched, outboxIds);
        Assert.DoesNotContain(oldProcessed, processedIds);
        Assert.Contains(recentProcessed, processedIds);
    }

    [Fact]
    public async Task Consumers_EveryReceiveEndpoint_WaitsForTheDatabaseMigrations()
    {
        var database = await infrastructure.CreateDatabaseAsync("outbox");
        using var host = await ServiceHost.StartAsync(database, infrastructure.RabbitMqConnectionString);

        var probe = System.Text.Json.JsonSerializer.Serialize(host.Services.GetRequiredService<IBusControl>().GetProbeResult(CancellationToken).Results);

        // Three receive endpoints (orders, accounts, the diagnostics ping), each with the filter in its consume pipe.
        Assert.True(System.Text.RegularExpressions.Regex.Count(probe, "Messaging.AwaitMigrationsFilter") >= 3, probe);
    }

    private static TestDbContext Open(string database) =>
        new(new DbContextOptionsBuilder<TestDbContext>().UseNpgsql(database).Options);

    private static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The outbox backlog gauge of one host (its own meter factory), read now.</summary>
    private static double OldestPendingAge(IServiceProvider services)
    {
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        double? age = null;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meterFactory && instrument.Name == "lettaplatform.outbox.oldest_pending_age")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => age = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return age ?? throw new InvalidOperationException("The host has no outbox backlog gauge.");
    }
}
