using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace LettaPlatform.Gateway.Tests;

/// <summary>The gateway's YARP destinations resolved by Microsoft.Extensions.ServiceDiscovery.Yarp, as the gateway registers it.</summary>
public sealed class ServiceDiscoveryDestinationResolverTests
{
    [Fact]
    public async Task ResolveDestinations_ServiceName_BecomesConfiguredAddress()
    {
        await using var services = Services(new()
        {
            ["services:chat-api:http:0"] = "http://127.0.0.1:5123",
        });
        var resolver = services.GetRequiredService<IDestinationResolver>();

        var resolved = await resolver.ResolveDestinationsAsync(
            new Dictionary<string, DestinationConfig> { ["chat-api"] = new() { Address = "http://chat-api" } },
            TestContext.Current.CancellationToken);

        var destination = Assert.Single(resolved.Destinations);
        Assert.StartsWith("chat-api", destination.Key, StringComparison.Ordinal);
        Assert.Equal(new Uri("http://127.0.0.1:5123/"), new Uri(destination.Value.Address));
        Assert.NotNull(resolved.ChangeToken);
    }

    [Fact]
    public async Task ResolveDestinations_ServiceWithTwoEndpoints_YieldsOneDestinationEach()
    {
        await using var services = Services(new()
        {
            ["services:memory-sync-api:http:0"] = "http://127.0.0.1:6001",
            ["services:memory-sync-api:http:1"] = "http://127.0.0.1:6002",
        });
        var resolver = services.GetRequiredService<IDestinationResolver>();

        var resolved = await resolver.ResolveDestinationsAsync(
            new Dictionary<string, DestinationConfig> { ["memory"] = new() { Address = "http://memory-sync-api" } },
            TestContext.Current.CancellationToken);

        Assert.Equal(
            ["http://127.0.0.1:6001/", "http://127.0.0.1:6002/"],
            resolved.Destinations.Values.Select(d => new Uri(d.Address).ToString()).Order());
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddServiceDiscovery()
            .AddReverseProxy().AddServiceDiscoveryDestinationResolver().Services
            .BuildServiceProvider();
}
