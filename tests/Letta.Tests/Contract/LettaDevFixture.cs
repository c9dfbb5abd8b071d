using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.Letta.Tests.Contract;

/// <summary>
/// LettaDev in memory (WebApplicationFactory over its <c>Program</c>), with its bearer password on and
/// short pings, and Letta clients whose every exchange passes through a <see cref="ContractValidatingHandler"/>.
/// </summary>
public sealed class LettaDevFixture : IAsyncLifetime
{
    public const string Password = "dev-password";

    private WebApplicationFactory<Program> _factory = null!;

    public ValueTask InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("LettaDev:Password", Password);
            web.UseSetting("LettaDev:PingInterval", "00:00:00.050");
            web.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>A client of LettaDev whose exchanges are all checked against the spec and logged in <paramref name="log"/>.</summary>
    public LettaClientHost CreateHost(ContractLog log, string? password = Password) =>
        new(new Dictionary<string, string?>
        {
            ["Letta:Instances:letta:Endpoint"] = "http://localhost/",
            ["Letta:Instances:letta:Password"] = password,
            ["Letta:Resilience:MaxRetryAttempts"] = "0",
            ["Letta:StreamIdleTimeout"] = "00:00:10",
        }, services =>
        {
            foreach (var name in new[] { LettaServiceCollectionExtensions.HttpClientName, LettaServiceCollectionExtensions.StreamingHttpClientName })
            {
                services.AddHttpClient(name)
                    .ConfigurePrimaryHttpMessageHandler(() => _factory.Server.CreateHandler())
                    .AddHttpMessageHandler(() => new ContractValidatingHandler(OpenApiContract.Letta, log));
            }
        });

    /// <summary>Queues scripted model steps through LettaDev's test hook (outside <c>/v1</c>, so not through the contract handler).</summary>
    public async Task ScriptAsync(string agentId, string stepsJson, CancellationToken cancellationToken)
    {
        using var http = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/_dev/agents/{agentId}/script")
        {
            Content = new StringContent($$"""{"steps":{{stepsJson}}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Password);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}
