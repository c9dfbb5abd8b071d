using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Letta;

/// <summary>Hands out a typed client per configured Letta instance.</summary>
public interface ILettaClientFactory
{
    IReadOnlyCollection<string> InstanceNames { get; }

    /// <summary>The client of a named instance; throws <see cref="ArgumentException"/> for an unknown name.</summary>
    ILettaClient CreateClient(string instanceName);

    /// <summary>The instance named <c>letta</c>, or the only one configured.</summary>
    ILettaClient CreateDefaultClient();
}

internal sealed class LettaClientFactory(IHttpClientFactory httpClientFactory, IOptionsMonitor<LettaOptions> options) : ILettaClientFactory
{
    private readonly ConcurrentDictionary<string, ILettaClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> InstanceNames => options.CurrentValue.Instances.Keys;

    public ILettaClient CreateClient(string instanceName)
    {
        var current = options.CurrentValue;
        if (!current.Instances.TryGetValue(instanceName, out var instance))
        {
            throw new ArgumentException($"No Letta instance named '{instanceName}' is configured (known: {string.Join(", ", current.Instances.Keys)}).", nameof(instanceName));
        }
        return _clients.GetOrAdd(instanceName, name => new LettaClient(name, instance, current, httpClientFactory));
    }

    public ILettaClient CreateDefaultClient()
    {
        var names = options.CurrentValue.Instances.Keys;
        if (names.Contains(LettaOptions.ConnectionStringName, StringComparer.OrdinalIgnoreCase))
        {
            return CreateClient(LettaOptions.ConnectionStringName);
        }
        return names.Count == 1
            ? CreateClient(names.First())
            : throw new InvalidOperationException($"Several Letta instances are configured ({string.Join(", ", names)}); ask for one by name.");
    }
}
