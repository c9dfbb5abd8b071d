using System.Net.Http.Headers;
using LettaPlatform.Chat.Api.Data;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Data;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.Chat.Api.Tests.TestHost;

/// <summary>chat-api in memory against real PostgreSQL, Redis, RabbitMQ and a LettaDev server process.</summary>
public sealed class ChatApiHost(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public const string SigningKey = "chat-api-tests-signing-key-0123456789abcdef";

    public HttpClient CreateClientFor(string userId)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new DevTokenIssuer(SigningKey).CreateToken(userId).AccessToken);
        return client;
    }

    /// <summary>Starts the host and waits until its schema is migrated and its bus is up (or <paramref name="waitForBus"/> is false).</summary>
    public async Task StartAsync(bool waitForBus = true)
    {
        StartServer();
        await Services.GetRequiredService<DatabaseInitializationState<ChatDbContext>>().Migrated.WaitAsync(TimeSpan.FromSeconds(60));
        if (waitForBus)
        {
            await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Auth:DevSigningKey", SigningKey);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
