using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;

namespace LettaPlatform.ToolExecution.Api.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ToolExecutionDbContext>("toolsdb");
        builder.AddRedis();
        builder.AddMessaging<ToolExecutionDbContext>();

        return builder;
    }
}
