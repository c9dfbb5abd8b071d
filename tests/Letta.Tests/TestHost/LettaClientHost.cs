using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Letta.Tests.TestHost;

/// <summary>A service provider with <c>AddLettaClients</c> over in-memory configuration, as a service would build it.</summary>
public sealed class LettaClientHost : IDisposable
{
    private readonly ServiceProvider _provider;

    public LettaClientHost(IDictionary<string, string?> configuration, Action<IServiceCollection>? configureServices = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        services.AddLettaClients();
        configureServices?.Invoke(services);
        _provider = services.BuildServiceProvider();
    }

    /// <summary>One instance named <c>letta</c> at <paramref name="endpoint"/>, with fast retries for tests.</summary>
    public static LettaClientHost For(Uri endpoint, Dictionary<string, string?>? extra = null, Action<IServiceCollection>? configureServices = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:letta"] = $"Endpoint={endpoint};Key=test-password",
            ["Letta:Resilience:BaseDelay"] = "00:00:00.010",
            ["Letta:Resilience:MaxDelay"] = "00:00:00.100",
            ["Letta:StreamIdleTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in extra ?? [])
        {
            configuration[key] = value;
        }
        return new LettaClientHost(configuration, configureServices);
    }

    public IServiceProvider Services => _provider;

    public ILettaClientFactory Factory => _provider.GetRequiredService<ILettaClientFactory>();

    public ILettaClient Client => Factory.CreateDefaultClient();

    public LettaOptions Options => _provider.GetRequiredService<IOptions<LettaOptions>>().Value;

    public void Dispose() => _provider.Dispose();
}
