using LettaPlatform.MemorySync.Api.Data;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;

namespace LettaPlatform.MemorySync.Api.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<MemorySyncDbContext>("memorydb");
        builder.AddRedis();
        builder.AddMessaging<MemorySyncDbContext>();

        return builder;
    }
}
