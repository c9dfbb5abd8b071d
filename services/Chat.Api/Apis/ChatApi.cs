namespace LettaPlatform.Chat.Api.Apis;

public static class ChatApi
{
    /// <summary>The service's OpenAPI document (anonymous, for the gateway's docs) and its routes.</summary>
    public static WebApplication MapChatApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapSessionsApi();
        app.MapTurnsApi();
        app.MapDebugApi();
        app.MapTurnSummaryApi();
        return app;
    }
}
