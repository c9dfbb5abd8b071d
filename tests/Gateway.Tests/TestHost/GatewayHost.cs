using System.Net.Http.Headers;
using LettaPlatform.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LettaPlatform.Gateway.Tests.TestHost;

/// <summary>The real gateway on Kestrel (real sockets, so streaming behaves as in production) in front of a <see cref="FakeBackend"/>.</summary>
public sealed class GatewayHost : WebApplicationFactory<Program>
{
    public const string SigningKey = "gateway-tests-signing-key-0123456789abcdef";

    private readonly FakeBackend _backend;
    private readonly string _environment;
    private readonly IReadOnlyDictionary<string, string> _settings;

    public GatewayHost(FakeBackend backend, string environment = "Development", IReadOnlyDictionary<string, string>? settings = null)
    {
        _backend = backend;
        _environment = environment;
        _settings = settings ?? new Dictionary<string, string>();
        // Kestrel binds port 0 itself: UseKestrel(port) would set the address after the app starts binding, a race
        // in WebApplicationFactory (dotnet/aspnetcore#67714) that failed a test run now and then.
        UseKestrel();
    }

    public HttpClient CreateClientFor(string userId)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            new DevTokenIssuer(SigningKey).CreateToken(userId).AccessToken);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseUrls("http://127.0.0.1:0");
        builder.UseSetting("Auth:DevSigningKey", SigningKey);
        foreach (var (service, address) in _backend.Addresses)
        {
            builder.UseSetting($"services:{service}:http:0", address);
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
