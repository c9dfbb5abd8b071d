using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LettaPlatform.Letta;
using LettaPlatform.MemorySync.Api.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.MemorySync.Api.Tests;

[Collection(MemorySyncCollection.Name)]
public sealed class MetricsTests(MemorySyncFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MemorySyncHost Host => fixture.Host;

    [Fact]
    public async Task Meter_AfterPushAndConflict_RecordsSyncLagAndConflicts()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value)>();
        var factory = Host.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this host's meter: the other hosts of the test run share the meter name.
            if (instrument.Meter.Name == MemorySyncMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => measurements.Enqueue((instrument.Name, value)));
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measurements.Enqueue((instrument.Name, value)));
        listener.Start();

        var agent = await Host.ProvisionAgentAsync($"user-{Guid.NewGuid():N}");
        using var client = Host.CreateClient(agent.UserId);
        (await client.PutBlockAsync(agent, "persona", "A pushed edit.", "\"1\"")).EnsureSuccessStatusCode();
        await Host.Letta("letta").ModifyAgentBlockAsync(agent.LettaAgentId, "human", new BlockUpdate { Value = "The agent got here first." }, Ct);
        (await client.PutBlockAsync(agent, "human", "The person edits too.", "\"1\"")).EnsureSuccessStatusCode();
        listener.RecordObservableInstruments();

        Assert.Contains(measurements, m => m.Instrument == "memory_sync.sync_lag" && m.Value >= 0);
        Assert.Contains(measurements, m => m.Instrument == "memory_sync.conflicts" && m.Value == 1);
        Assert.Contains(measurements, m => m.Instrument == "memory_sync.pushes_pending");
    }
}
