using System.Diagnostics.Metrics;
using LettaPlatform.AgentManagement.Api.Services;

namespace LettaPlatform.AgentManagement.Api.Tests.TestHost;

/// <summary>Counts one host's resolution-cache hits and misses through its meter, as an exporter would see them.</summary>
public sealed class CacheLookups : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _hits;
    private long _misses;

    public CacheLookups(AgentManagementMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == metrics.Meter && instrument.Name == "agentmanagement.resolution.cache.lookups")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "result")
                {
                    Interlocked.Add(ref (string?)tag.Value == "hit" ? ref _hits : ref _misses, value);
                }
            }
        });
        _listener.Start();
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public void Dispose() => _listener.Dispose();
}
