using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Diagnostics;
using LettaPlatform.ServiceDefaults.Tests.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.ServiceDefaults.Tests;

public sealed class DefaultEndpointsTests(InfrastructureFixture infrastructure)
{
    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_AllDependenciesUp_Returns200ListingEachCheck()
    {
        await using var app = await StartAsync(infrastructure.RedisConnectionString);
        using var client = app.GetTestClient();

        using var response = await WaitForStatusAsync(client, "/health", HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = await ReadChecksAsync(response);
        Assert.Equal("Healthy", checks[ServiceHost.DatabaseName]);
        Assert.Equal("Healthy", checks["redis"]);
        Assert.Equal("Healthy", checks["masstransit-bus"]);
    }

    [Fact]
    public async Task Health_RedisUnreachable_Returns503WhileAliveReturns200()
    {
        await using var app = await StartAsync($"127.0.0.1:{FreeTcpPort()},connectTimeout=500");
        using var client = app.GetTestClient();

        // Wait for the other dependencies, so the 503 is Redis's doing alone.
        using var response = await WaitForAsync(client, "/health", async r =>
        {
            var checks = await ReadChecksAsync(r);
            return checks[ServiceHost.DatabaseName] == "Healthy" && checks["masstransit-bus"] == "Healthy";
        });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", (await ReadChecksAsync(response))["redis"]);
        using var alive = await client.GetAsync("/alive", CancellationToken);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task ProtectedEndpoint_WithDevToken_AuthenticatesAsSubject()
    {
        await using var app = await StartAsync(infrastructure.RedisConnectionString);
        using var client = app.GetTestClient();

        using var request = WithToken(HttpMethod.Get, "/me", new DevTokenIssuer(WebServiceHost.SigningKey).CreateToken("alice").AccessToken);
        using var response = await client.SendAsync(request, CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", await response.Content.ReadAsStringAsync(CancellationToken));
    }

    [Fact]
    public async Task ProtectedEndpoint_WithTamperedOrMissingToken_Returns401Problem()
    {
        await using var app = await StartAsync(infrastructure.RedisConnectionString);
        using var client = app.GetTestClient();
        var token = new DevTokenIssuer(WebServiceHost.SigningKey).CreateToken("alice").AccessToken;
        var tampered = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        using var tamperedRequest = WithToken(HttpMethod.Get, "/me", tampered);
        using var tamperedResponse = await client.SendAsync(tamperedRequest, CancellationToken);
        using var anonymousResponse = await client.GetAsync("/me", CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, tamperedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousResponse.StatusCode);
        Assert.Equal("application/problem+json", anonymousResponse.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AdminEndpoint_WithAndWithoutAdminRole_Returns200Or403()
    {
        await using var app = await StartAsync(infrastructure.RedisConnectionString);
        using var client = app.GetTestClient();
        var issuer = new DevTokenIssuer(WebServiceHost.SigningKey);

        using var userRequest = WithToken(HttpMethod.Get, "/admin", issuer.CreateToken("bob").AccessToken);
        using var userResponse = await client.SendAsync(userRequest, CancellationToken);
        using var adminRequest = WithToken(HttpMethod.Get, "/admin", issuer.CreateToken("root", roles: [Roles.Admin]).AccessToken);
        using var adminResponse = await client.SendAsync(adminRequest, CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, userResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, adminResponse.StatusCode);
    }

    [Fact]
    public async Task Ping_OwnServiceAsAdmin_AnswersOverTheBroker()
    {
        await using var app = await StartAsync(infrastructure.RedisConnectionString);
        using var client = app.GetTestClient();
        await WaitForStatusAsync(client, "/health", HttpStatusCode.OK);
        var name = app.Services.GetRequiredService<ServiceIdentity>().Name;
        var admin = new DevTokenIssuer(WebServiceHost.SigningKey).CreateToken("root", roles: [Roles.Admin]).AccessToken;

        using var anonymous = await client.GetAsync($"/diagnostics/ping/{name}", CancellationToken);
        using var request = WithToken(HttpMethod.Get, $"/diagnostics/ping/{name}", admin);
        using var response = await client.SendAsync(request, CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<PingResult>(CancellationToken);
        Assert.NotNull(result);
        Assert.Equal(name, result.Service);
        Assert.Equal(app.Services.GetRequiredService<ServiceIdentity>().Instance, result.Instance);
        Assert.True(result.RoundTripMs > 0);
    }

    private async Task<WebApplication> StartAsync(string redisConnectionString) =>
        await WebServiceHost.StartAsync(
            await infrastructure.CreateDatabaseAsync("endpoints"),
            redisConnectionString,
            infrastructure.RabbitMqConnectionString);

    private static HttpRequestMessage WithToken(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static Task<HttpResponseMessage> WaitForStatusAsync(HttpClient client, string path, HttpStatusCode status) =>
        WaitForAsync(client, path, response => Task.FromResult(response.StatusCode == status));

    private static async Task<HttpResponseMessage> WaitForAsync(HttpClient client, string path, Func<HttpResponseMessage, Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await client.GetAsync(path, CancellationToken);
            if (await done(response) || DateTime.UtcNow >= deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(200, CancellationToken);
        }
    }

    private static async Task<Dictionary<string, string>> ReadChecksAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken));
        return document.RootElement.GetProperty("checks").EnumerateObject()
            .ToDictionary(check => check.Name, check => check.Value.GetProperty("status").GetString()!);
    }

    private static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
