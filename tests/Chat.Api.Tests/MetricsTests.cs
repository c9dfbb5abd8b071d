using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

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

    [Fact]
    public async Task Turn_WithAToolCall_RecordsTemplateInstanceToolOutcomeAndTheHashedPersonNeverTheUserId()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        var measurements = new ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ChatMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, string?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value?.ToString();
            }

            measurements.Enqueue((instrument.Name, value, copy));
        });
        listener.Start();
        using var client = new ChatClient(fixture.Chat.CreateClientFor(userId));
        var sessionId = await client.CreateSessionIdAsync();

        await client.SendAsync(sessionId, "list my tasks");

        var person = new PersonHasher(Options.Create(new ChatOptions { PersonHashKey = ChatFixture.PersonHashKey })).Hash(userId)!;
        Assert.Matches("^[0-9a-f]{16}$", person);
        var mine = measurements.Where(m => m.Tags.GetValueOrDefault("person") == person).ToList();
        Assert.Contains(mine, m => m.Instrument == "chat.person.turns" && m.Tags["outcome"] == "completed" && m.Tags["template"] == StandIns.Template);
        Assert.Contains(mine, m => m.Instrument == "chat.person.tokens" && m.Value > 0);
        Assert.Contains(measurements, m => m.Instrument == "chat.turns" && m.Tags.GetValueOrDefault("template") == StandIns.Template && m.Tags.GetValueOrDefault("letta.instance") is { Length: > 0 });
        Assert.Contains(measurements, m => m.Instrument == "chat.tool_calls" && m.Tags["tool"] == "query_tasks" && m.Tags["outcome"] == "success" && m.Tags["template"] == StandIns.Template);
        Assert.DoesNotContain(measurements, m => m.Tags.Values.Contains(userId));
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
