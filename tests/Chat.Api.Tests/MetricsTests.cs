using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace LettaPlatform.Chat.Api.Tests;

public sealed class MetricsTests(ChatFixture fixture)
{
    [Fact]
    public async Task Turn_Completed_RecordsOutcomeDurationFirstEventToolCallsAndTokens()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ChatMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, Outcome(tags))));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, Outcome(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, Outcome(tags))));
        listener.Start();
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();

        await client.SendAsync(sessionId, "list my tasks");

        Assert.Contains(measurements, m => m is { Instrument: "chat.turns", Outcome: "completed", Value: 1 });
        Assert.Contains(measurements, m => m is { Instrument: "chat.turn.duration", Outcome: "completed" } && m.Value > 0);
        Assert.Contains(measurements, m => m.Instrument == "chat.turn.time_to_first_event" && m.Value > 0);
        Assert.Contains(measurements, m => m is { Instrument: "chat.turn.tool_calls", Value: >= 1 });
        Assert.Contains(measurements, m => m.Instrument == "chat.tokens" && m.Value > 0);
    }

    private static string? Outcome(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "outcome")
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
