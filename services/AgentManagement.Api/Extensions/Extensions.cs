using LettaPlatform.AgentManagement.Api.Consumers;
using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.AgentManagement.Api.Services;
using LettaPlatform.Contracts.MemorySync;
using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LettaPlatform.AgentManagement.Api.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgentManagementOptions>()
            .BindConfiguration(AgentManagementOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<AgentModelsOptions>()
            .BindConfiguration(AgentModelsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Request records declare their rules (DataAnnotations); they are checked before a handler runs.
        builder.Services.AddValidation();
        builder.AddServiceDatabase<AgentManagementDbContext>("agentsdb");
        builder.AddRedis();
        builder.AddLettaClients();

        builder.AddMessaging<AgentManagementDbContext>(bus =>
        {
            bus.AddConsumer<ResolveAgentConsumer, ResolveAgentConsumerDefinition>();
        });

        builder.Services.AddScoped(services =>
        {
            var timeout = services.GetRequiredService<IOptions<AgentManagementOptions>>().Value.ReadAgentMemoryTimeout;
            return services.GetRequiredService<IScopedClientFactory>().CreateRequestClient<ReadAgentMemory>(
                services.GetRequiredService<QueueNames>().Address(MemorySyncQueues.ReadAgentMemory), RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
        });

        builder.Services.AddOpenApi();
        builder.AddMeters(AgentManagementMetrics.MeterName);
        builder.Services.AddSingleton<AgentManagementMetrics>();
        builder.Services.AddSingleton<LettaPlacement>();
        builder.Services.AddSingleton<WakeSignal<RolloutWorker>>();
        builder.Services.AddScoped<AgentCache>();
        builder.Services.AddSingleton<CacheEvictionRetries>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<CacheEvictionRetries>());
        builder.Services.AddScoped<AgentProvisioner>();
        builder.Services.AddScoped<AgentResolver>();
        builder.Services.AddSingleton<AgentActivity>();
        builder.Services.AddScoped<AgentMover>();
        builder.Services.AddScoped<AgentArchiver>();
        builder.Services.AddScoped<AgentRestorer>();
        builder.Services.AddScoped<ProjectMemory>();
        builder.Services.TryAddSingleton<ArchiveHooks>();
        builder.Services.AddHostedService<ArchiveWorker>();
        builder.Services.AddScoped<TemplateApplier>();
        builder.Services.AddScoped<RolloutService>();
        builder.Services.AddHostedService<RolloutWorker>();
        builder.Services.AddHostedService<AgentCountsRefresher>();

        return builder;
    }
}
