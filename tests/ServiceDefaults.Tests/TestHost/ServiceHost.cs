using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LettaPlatform.ServiceDefaults.Tests.TestHost;

/// <summary>
/// A generic host wired like a service (database + messaging with outbox), on its own database and
/// with its own queue prefix, so tests running in parallel on one broker do not consume each other's messages.
/// </summary>
public static class ServiceHost
{
    public const string DatabaseName = "testdb";

    public static IHost Build(string databaseConnectionString, string messagingConnectionString, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var name = $"test-{Guid.NewGuid():N}"[..17];
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = name,
            [$"ConnectionStrings:{DatabaseName}"] = databaseConnectionString,
            ["ConnectionStrings:messaging"] = messagingConnectionString,
            ["Messaging:QueuePrefix"] = $"{name}-",
            ["Outbox:PublishTimeout"] = "00:00:02",
            ["Outbox:MaxRetryDelay"] = "00:00:02",
        });

        builder.Services.AddSingleton<Deliveries<OrderPlaced>>();
        builder.Services.AddSingleton<Deliveries<AccountCredited>>();
        builder.Services.AddSingleton<Deliveries<SomethingHappened>>();
        builder.Services.AddSingleton<Attempts>();

        builder.AddServiceDatabase<TestDbContext>(DatabaseName);
        builder.AddMessaging<TestDbContext>(bus =>
        {
            bus.AddEventConsumer<OrderPlacedRecorder>();
            bus.AddEventConsumer<AccountCreditedConsumer>();
            consumers?.Invoke(bus);
        });

        return builder.Build();
    }

    public static async Task<IHost> StartAsync(string databaseConnectionString, string messagingConnectionString, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var host = Build(databaseConnectionString, messagingConnectionString, consumers);
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.Services.GetRequiredService<DatabaseInitializationState<TestDbContext>>().Migrated
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await host.Services.GetRequiredService<IBusControl>()
            .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return host;
    }
}
