using System.Text.Json;
using LettaPlatform.LettaDev.Engine;
using LettaPlatform.LettaDev.Model;
using Microsoft.Extensions.Options;

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
            o.SerializerOptions.Encoder = Json.Wire.Encoder;
        });
        // Binding failures surface as exceptions, so they get Letta's 422 body instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<BlockStore>();
        builder.Services.AddSingleton<ToolStore>();
        builder.Services.AddSingleton<AgentStore>();
        builder.Services.AddSingleton<ConversationStore>();
        builder.Services.AddSingleton<AgentScripts>();
        builder.Services.AddSingleton<RunStore>();
        builder.Services.AddSingleton<AgentFiles>();
        builder.Services.AddSingleton<TurnRunner>();
        builder.Services.AddSingleton<RunStreams>();
        builder.Services.AddSingleton<FailureInjector>();
    }

    /// <summary>Letta's error bodies, simulated failures and the optional password, in that order.</summary>
    public static void UseLettaDev(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (LettaException ex) when (!context.Response.HasStarted)
            {
                await Write(context, ex.Status, ex.Body());
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                await Write(context, StatusCodes.Status422UnprocessableEntity, new() { ["detail"] = ex.Message });
            }
        });

        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/v1") && !IsHealth(path) && context.RequestServices.GetRequiredService<FailureInjector>().TryTake(out var status))
            {
                await Write(context, status, new() { ["detail"] = "Simulated failure (LettaDev /_dev/fail)" });
                return;
            }
            var password = context.RequestServices.GetRequiredService<IOptions<LettaDevOptions>>().Value.Password;
            if (!string.IsNullOrEmpty(password) && !IsHealth(path) && !Authorized(context.Request, password))
            {
                await Write(context, StatusCodes.Status401Unauthorized, new() { ["detail"] = "Unauthorized" });
                return;
            }
            await next(context);
        });
    }

    private static bool IsHealth(PathString path) => path.StartsWithSegments("/v1/health") || path.StartsWithSegments("/v1/ready");

    private static bool Authorized(HttpRequest request, string password)
    {
        var authorization = request.Headers.Authorization.ToString();
        var bare = request.Headers["X-BARE-PASSWORD"].ToString();
        return authorization == $"Bearer {password}" || bare == $"password {password}";
    }

    private static Task Write(HttpContext context, int status, System.Text.Json.Nodes.JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(Json.Wire));
    }
}
