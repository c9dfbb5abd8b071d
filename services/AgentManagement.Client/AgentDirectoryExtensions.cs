using LettaPlatform.Contracts.AgentManagement;
using LettaPlatform.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LettaPlatform.AgentManagement.Client;

public static class AgentDirectoryExtensions
{
    /// <summary>
    /// Registers <see cref="AgentDirectoryClient"/> (scoped) and its options: <paramref name="defaults"/> are this
    /// service's, section "AgentDirectory" of the configuration overrides them. Needs <c>AddRedis</c> (its cache)
    /// and <c>AddMessaging</c> (its requests).
    /// </summary>
    public static IHostApplicationBuilder AddAgentDirectory(this IHostApplicationBuilder builder, Action<AgentDirectoryOptions>? defaults = null)
    {
        var options = builder.Services.AddOptions<AgentDirectoryOptions>();
        if (defaults is not null)
        {
            options.Configure(defaults);
        }

        options.BindConfiguration(AgentDirectoryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddQueueRequestClient<ResolveAgent>(AgentManagementQueues.ResolveAgent);
        builder.Services.AddScoped<AgentDirectoryClient>();
        return builder;
    }
}
