using LettaPlatform.Chat.Api.Data;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;

namespace LettaPlatform.Chat.Api.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ChatDbContext>("chatdb");
        builder.AddRedis();
        builder.AddMessaging<ChatDbContext>();

        return builder;
    }
}
