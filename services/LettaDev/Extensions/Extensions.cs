using System.Text.Json;

namespace LettaPlatform.LettaDev.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LettaDevOptions>()
            .BindConfiguration(LettaDevOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        });
    }

    public static void UseLettaDev(this WebApplication app)
    {
    }
}
