using LettaPlatform.AgentManagement.Client;
using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Consumers;
using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.MemorySync.Api.Services;
using LettaPlatform.MemorySync.Api.Workers;
using LettaPlatform.ServiceDefaults;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace LettaPlatform.MemorySync.Api.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Request records declare their shape rules (DataAnnotations); they are checked before a handler runs.
        // A block's value is checked against that block (its limit, no secrets) and answers 422 invalid_block.
        builder.Services.AddValidation();
        builder.AddServiceDatabase<MemorySyncDbContext>("memorydb", (services, options) =>
            options.AddInterceptors(services.GetRequiredService<VersionMetricsInterceptor>()));
        builder.AddRedis();
        builder.AddLettaClients();
        builder.AddMessaging<MemorySyncDbContext>(bus =>
        {
            bus.AddConsumer<ReadAgentMemoryConsumer, ReadAgentMemoryConsumerDefinition>();
            bus.AddEventConsumer<AgentProvisionedConsumer>();
            bus.AddEventConsumer<AgentMigratedConsumer>();
            bus.AddEventConsumer<AgentDeletedConsumer>();
            bus.AddEventConsumer<ChatTurnCompletedConsumer>();
        });
        builder.AddMeters(MemorySyncMetrics.MeterName);
        builder.Services.AddOpenApi();

        builder.Services.AddOptions<MemorySyncOptions>()
            .BindConfiguration(MemorySyncOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddAgentDirectory();
        builder.Services.AddSingleton<MemorySyncMetrics>();
        builder.Services.AddSingleton<VersionMetricsInterceptor>();
        builder.Services.AddScoped<MemoryInsights>();
        builder.Services.AddSingleton<Reconciler>();
        builder.Services.AddScoped<BlockSync>();
        builder.Services.AddScoped<BlockEdits>();
        builder.Services.AddScoped<AgentDirectory>();
        builder.Services.AddScoped<Snapshots>();

        builder.Services.AddHostedService<PendingPushWorker>();
        builder.Services.AddHostedService<ReconcileWorker>();
        builder.Services.AddHostedService<SnapshotScheduler>();

        return builder;
    }
}
