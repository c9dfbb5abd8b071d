using LettaPlatform.AgentManagement.Client;
using LettaPlatform.Chat.Api.Agents;
using LettaPlatform.Chat.Api.Consumers;
using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Debug;
using LettaPlatform.Chat.Api.Tools;
using LettaPlatform.Chat.Api.Turns;
using LettaPlatform.Chat.Api.Workers;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Chat.Api.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatOptions>()
            .BindConfiguration(ChatOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Request records declare their rules (DataAnnotations); they are checked before a handler runs.
        builder.Services.AddValidation();
        builder.AddServiceDatabase<ChatDbContext>("chatdb");
        builder.AddRedis();

        builder.AddMessaging<ChatDbContext>(bus =>
        {
            bus.AddEventConsumer<MemoryBlockChangedConsumer>();
            bus.AddEventConsumer<AgentChangedConsumer>();
        });

        // A person may name an agent that is still being provisioned: "no such agent" is asked again, not cached.
        builder.AddAgentDirectory(defaults =>
        {
            defaults.Timeout = TimeSpan.FromSeconds(15);
            defaults.CacheDuration = TimeSpan.FromMinutes(5);
            defaults.NotFoundCacheDuration = TimeSpan.Zero;
        });
        builder.Services.AddQueueRequestClient<ExecuteToolCall>(ToolExecutionQueues.ExecuteToolCall);
        builder.Services.AddQueueRequestClient<GetToolCatalog>(ToolExecutionQueues.GetToolCatalog);
        builder.Services.AddQueueRequestClient<PreviewToolCall>(ToolExecutionQueues.PreviewToolCall);

        builder.AddLettaClients();
        builder.AddLettaFailFast();

        builder.AddMeters(ChatMetrics.MeterName);
        builder.Services.AddSingleton<ChatMetrics>();
        builder.Services.AddSingleton<PersonHasher>();
        builder.Services.AddSingleton<DebugRecorder>();
        builder.Services.AddTransient<DebugCaptureHandler>();
        builder.Services.AddSingleton<TurnEventStore>();
        builder.Services.AddSingleton<TurnLock>();
        builder.Services.AddSingleton<TurnCancellation>();
        builder.Services.AddScoped<AgentResolver>();
        builder.Services.AddScoped<IToolCatalog, BusToolCatalog>();
        builder.Services.AddScoped<ToolExecutor>();
        builder.Services.AddScoped<ToolPreviewer>();
        builder.Services.AddScoped<TurnEventEmitter>();
        builder.Services.AddScoped<LettaEventRelay>();
        builder.Services.AddScoped<ToolCallRunner>();
        builder.Services.AddScoped<HandOffRunner>();
        builder.Services.AddScoped<TurnRecorder>();
        builder.Services.AddScoped<TurnRunner>();
        builder.Services.AddScoped<TurnGate>();
        builder.Services.AddHostedService<StaleApprovalWorker>();

        builder.Services.AddOpenApi();

        return builder;
    }

    /// <summary>
    /// Chat is interactive: when Letta is down the caller should hear so within about two seconds, not
    /// after a minute of retries. A short connect timeout and a single retry bound the first call of a
    /// turn; an unreachable Letta makes <c>/health</c> degraded, not unhealthy, since history stays readable.
    /// </summary>
    private static void AddLettaFailFast(this IHostApplicationBuilder builder)
    {
        foreach (var name in new[] { LettaServiceCollectionExtensions.HttpClientName, LettaServiceCollectionExtensions.StreamingHttpClientName })
        {
            builder.Services.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                ConnectTimeout = services.GetRequiredService<IOptions<ChatOptions>>().Value.LettaConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            }).AddHttpMessageHandler<DebugCaptureHandler>();
        }

        builder.Services.PostConfigure<LettaOptions>(letta =>
        {
            letta.Resilience.MaxRetryAttempts = Math.Min(letta.Resilience.MaxRetryAttempts, 1);
            letta.Resilience.BaseDelay = TimeSpan.FromMilliseconds(Math.Min(letta.Resilience.BaseDelay.TotalMilliseconds, 200));
        });

        builder.Services.PostConfigure<HealthCheckServiceOptions>(health =>
        {
            foreach (var registration in health.Registrations.Where(r => r.Tags.Contains("letta")))
            {
                registration.FailureStatus = HealthStatus.Degraded;
            }
        });
    }

}
