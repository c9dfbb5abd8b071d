using LettaPlatform.AgentManagement.Api.Data;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;

namespace LettaPlatform.AgentManagement.Api.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<AgentManagementDbContext>("agentsdb");
        builder.AddRedis();
        builder.AddMessaging<AgentManagementDbContext>();

        return builder;
    }
}
