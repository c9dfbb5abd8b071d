using System.Security.Claims;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Data;
using LettaPlatform.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace LettaPlatform.ServiceDefaults.Tests.TestHost;

/// <summary>A minimal web service wired exactly like the real ones, on an in-memory test server.</summary>
public static class WebServiceHost
{
    public const string SigningKey = "web-service-host-tests-signing-key-0123456789";

    public static async Task<WebApplication> StartAsync(string databaseConnectionString, string redisConnectionString, string messagingConnectionString)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = $"web-{Guid.NewGuid():N}"[..16],
            ["Auth:DevSigningKey"] = SigningKey,
            [$"ConnectionStrings:{ServiceHost.DatabaseName}"] = databaseConnectionString,
            ["ConnectionStrings:redis"] = redisConnectionString,
            ["ConnectionStrings:messaging"] = messagingConnectionString,
        });

        builder.AddServiceDefaults();
        builder.AddServiceDatabase<TestDbContext>(ServiceHost.DatabaseName);
        builder.AddRedis();
        builder.AddMessaging<TestDbContext>();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/me", (ClaimsPrincipal user) => user.GetUserId());
        app.MapGet("/admin", () => "admin").RequireAuthorization(Policies.Admin);

        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }
}
