using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LettaPlatform.ToolExecution.Api.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static LettaPlatform.ToolExecution.Api.Tests.TestHost.ToolExecutionHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

public sealed class ToolExecutionMetricsTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    [Fact]
    public async Task Calls_AreCountedByToolAndStatus_TimedAndDenialsCountedByReason()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string Tags)>();
        var meterFactory = service.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // Only this host's meter: other test classes run their own hosts at the same time.
                if (instrument.Meter.Name == ToolExecutionMetrics.MeterName && instrument.Meter.Scope == meterFactory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, Describe(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, Describe(tags))));
        listener.Start();
        var user = NewUser();
        var agent = service.AddAgent(user, ("create_task", false));

        await service.ExecuteAsync(Call(user, agent, "create_task", """{"title":"Counted"}"""));
        await service.ExecuteAsync(Call(user, agent, "query_tasks", "{}"));

        Assert.Contains(("lettaplatform.tool.executions", 1d, "status=success,tool=create_task"), measurements);
        Assert.Contains(("lettaplatform.tool.executions", 1d, "status=denied,tool=query_tasks"), measurements);
        Assert.Contains(("lettaplatform.tool.denials", 1d, "reason=tool_not_allowed,tool=query_tasks"), measurements);
        Assert.Equal(2, measurements.Count(m => m.Instrument == "lettaplatform.tool.duration" && m.Value >= 0));
    }

    private static string Describe(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}").Order());
}
