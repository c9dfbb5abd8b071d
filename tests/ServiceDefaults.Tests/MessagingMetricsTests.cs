using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LettaPlatform.ServiceDefaults.Tests.TestHost;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LettaPlatform.ServiceDefaults.Tests;

/// <summary>
/// What deploy/alerts/lettaplatform.rules.yml (MessagesMovedToErrorQueue) relies on: MassTransit
/// has no counter of messages moved to an _error queue, but counts every failed attempt in
/// <c>messaging.masstransit.consume.errors</c> and every retry in <c>…consume.retries</c>, so errors
/// minus retries is the number of messages that failed for good. (<c>…receive.errors</c> stays 0.)
/// </summary>
public sealed class MessagingMetricsTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task ConsumerFailingEveryRetry_ErrorsMinusRetriesIsOne()
    {
        using var host = await ServiceHost.StartAsync(await infrastructure.CreateDatabaseAsync("receive_errors"), infrastructure.RabbitMqConnectionString);
        var queue = $"{host.Services.GetRequiredService<ServiceIdentity>().Name}-accounts";
        var counts = new ConcurrentDictionary<string, long>();
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        var ownInstruments = false;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // All of them, as the OpenTelemetry exporter does: MassTransit records errors only while its
            // consume counter is listened to.
            if (instrument.Meter.Name == "MassTransit")
            {
                ownInstruments |= instrument.Meter.Scope == meterFactory;
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name is not ("messaging.masstransit.consume.errors" or "messaging.masstransit.consume.retries"))
            {
                return;
            }

            foreach (var tag in tags)
            {
                if (tag.Value?.ToString()?.Contains(queue, StringComparison.Ordinal) == true)
                {
                    counts.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
                    return;
                }
            }
        });
        listener.Start();
        if (!ownInstruments)
        {
            // MassTransit makes its instruments once per process, from the meter factory of the first
            // host; when that host is another test's, already disposed, nothing is recorded any more.
            Assert.Skip("MassTransit's instruments belong to an earlier host of this test process; run this class on its own.");
        }

        // An account that does not exist: the consumer throws on every attempt.
        var endpoint = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(new AccountCredited { AccountId = Guid.NewGuid(), Amount = 1 }, TestContext.Current.CancellationToken);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (counts.GetValueOrDefault("messaging.masstransit.consume.errors") < 6 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        // No further attempt comes: the message is in the _error queue.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        // Five retries (MessagingExtensions), so six failed attempts for the one message.
        var seen = string.Join(", ", counts.Select(pair => $"{pair.Key}={pair.Value}"));
        Assert.True(counts.GetValueOrDefault("messaging.masstransit.consume.errors") == 6, seen);
        Assert.True(counts.GetValueOrDefault("messaging.masstransit.consume.retries") == 5, seen);
    }
}
