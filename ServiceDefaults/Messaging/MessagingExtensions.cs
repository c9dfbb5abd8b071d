using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Diagnostics;
using LettaPlatform.ServiceDefaults.Messaging.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace LettaPlatform.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    public const string ConnectionName = "messaging";

    /// <summary>
    /// MassTransit over RabbitMQ from <c>ConnectionStrings:messaging</c> (<c>amqp://user:password@host:port/vhost</c>):
    /// the consumers <paramref name="configure"/> adds, each received as its definition says
    /// (<see cref="EventConsumerDefinition{TConsumer}"/>, <see cref="RequestConsumerDefinition{TConsumer}"/>),
    /// every queue name behind <c>Messaging:QueuePrefix</c> (<see cref="QueueNames"/>), the bus health check in
    /// <c>/health</c>, and the diagnostics ping consumer on <c>ping-&lt;service-name&gt;</c>.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        builder.Services.TryAddSingleton(ServiceIdentity.FromConfiguration(builder.Configuration, builder.Environment));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<QueueNames>();

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit otherwise reports usage to its vendor over the internet on every start.
            bus.DisableUsageTelemetry();

            // A bus that cannot reach the broker reports Degraded by default, which /health would
            // answer with 200; the service cannot do its work then, so it is not ready.
            bus.ConfigureHealthCheckOptions(health => health.MinimalFailureStatus = HealthStatus.Unhealthy);
            bus.AddConsumer<PingServiceConsumer, PingServiceConsumerDefinition>();

            configure?.Invoke(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                var connectionString = context.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionName)
                    ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is not configured.");
                ConfigureHost(rabbit, new Uri(connectionString));
                rabbit.ConfigureEndpoints(context);
            });
        });

        // The kebab-case formatter with this host's prefix; registered after MassTransit's own, so it is the one used.
        builder.Services.Replace(ServiceDescriptor.Singleton(services => services.GetRequiredService<QueueNames>().Formatter));

        return builder;
    }

    /// <summary>Adds a consumer of published events, received as <see cref="EventConsumerDefinition{TConsumer}"/> says.</summary>
    public static IConsumerRegistrationConfigurator<TConsumer> AddEventConsumer<TConsumer>(this IRegistrationConfigurator bus)
        where TConsumer : class, IConsumer =>
        bus.AddConsumer<TConsumer, EventConsumerDefinition<TConsumer>>();

    /// <summary>
    /// Registers a scoped <see cref="IRequestClient{TRequest}"/> that sends <typeparamref name="TRequest"/> point to
    /// point to <paramref name="queue"/> (the name kept beside the message in Contracts, behind this host's prefix).
    /// Being scoped, a request sent while consuming a message carries that message's conversation.
    /// </summary>
    public static IServiceCollection AddQueueRequestClient<TRequest>(this IServiceCollection services, string queue)
        where TRequest : class =>
        services.AddScoped(provider => provider.GetRequiredService<IScopedClientFactory>()
            .CreateRequestClient<TRequest>(provider.GetRequiredService<QueueNames>().Address(queue)));

    /// <summary>
    /// <see cref="AddMessaging(IHostApplicationBuilder, Action{IBusRegistrationConfigurator}?)"/> plus the
    /// transactional outbox relay of <typeparamref name="TContext"/> (registered with <c>AddServiceDatabase</c>,
    /// its model calling <c>modelBuilder.AddOutbox()</c>); every consumer waits for its migrations.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging<TContext>(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
        where TContext : DbContext
    {
        builder.Services.TryAddSingleton(services => new DatabaseMigrationGate(services.GetRequiredService<DatabaseInitializationState<TContext>>().Migrated));
        builder.AddMessaging(bus =>
        {
            bus.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UseConsumeFilter(typeof(AwaitMigrationsFilter<>), context));
            configure?.Invoke(bus);
        });

        builder.Services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<OutboxMetrics>();
        builder.Services.AddHostedService<OutboxRelay<TContext>>();

        return builder;
    }

    private static void ConfigureHost(IRabbitMqBusFactoryConfigurator rabbit, Uri uri)
    {
        var userInfo = uri.UserInfo.Split(':', 2);
        var virtualHost = uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";
        var port = uri.IsDefaultPort ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;

        rabbit.Host(uri.Host, (ushort)port, virtualHost, host =>
        {
            if (userInfo[0].Length > 0)
            {
                host.Username(Uri.UnescapeDataString(userInfo[0]));
                host.Password(userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : string.Empty);
            }

            if (uri.Scheme == "amqps")
            {
                host.UseSsl(ssl => ssl.ServerName = uri.Host);
            }
        });
    }
}
