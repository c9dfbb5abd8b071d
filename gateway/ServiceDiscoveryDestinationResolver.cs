using System.Net;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace LettaPlatform.Gateway;

/// <summary>
/// Turns cluster destinations written as service names (<c>http://chat-api</c>) into the addresses
/// Microsoft.Extensions.ServiceDiscovery knows for them (<c>services__chat-api__http__0</c>, …),
/// one destination per endpoint, and re-resolves when discovery reports a change.
/// </summary>
public sealed class ServiceDiscoveryDestinationResolver(ServiceEndpointResolver resolver) : IDestinationResolver
{
    public async ValueTask<ResolvedDestinationCollection> ResolveDestinationsAsync(
        IReadOnlyDictionary<string, DestinationConfig> destinations,
        CancellationToken cancellationToken)
    {
        var resolved = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        var changeTokens = new List<IChangeToken>();

        foreach (var (name, destination) in destinations)
        {
            var address = new Uri(destination.Address);
            var source = await resolver.GetEndpointsAsync(address.GetLeftPart(UriPartial.Authority), cancellationToken);
            changeTokens.Add(source.ChangeToken);

            var index = 0;
            foreach (var endpoint in source.Endpoints)
            {
                var resolvedAddress = ToUri(endpoint.EndPoint, address);
                var key = source.Endpoints.Count == 1 ? name : $"{name}[{index}]";
                resolved[key] = destination with { Address = resolvedAddress.ToString() };
                index++;
            }
        }

        return new ResolvedDestinationCollection(resolved, new CompositeChangeToken(changeTokens));
    }

    private static Uri ToUri(EndPoint endPoint, Uri original)
    {
        var baseAddress = endPoint switch
        {
            UriEndPoint uri => uri.Uri,
            DnsEndPoint dns => new UriBuilder(original.Scheme, dns.Host, dns.Port > 0 ? dns.Port : original.Port).Uri,
            IPEndPoint ip => new UriBuilder(original.Scheme, ip.Address.ToString(), ip.Port).Uri,
            _ => throw new InvalidOperationException($"Service discovery returned an unsupported endpoint '{endPoint}'."),
        };

        // Keep a path prefix written in the configured destination (http://name/prefix).
        return original.AbsolutePath == "/" ? baseAddress : new Uri(baseAddress, original.AbsolutePath);
    }
}
