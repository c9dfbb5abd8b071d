using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LettaPlatform.ToolExecution.Api;

/// <summary>The service's own instruments (meter <see cref="MeterName"/>).</summary>
public sealed class ToolExecutionMetrics
{
    public const string MeterName = "LettaPlatform.ToolExecution";

    private readonly Counter<long> _executions;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _denials;

    public ToolExecutionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _executions = meter.CreateCounter<long>("lettaplatform.tool.executions", "{call}", "Tool calls answered, by tool and status.");
        _duration = meter.CreateHistogram<double>("lettaplatform.tool.duration", "ms", "Time from receiving a tool call to answering it.");
        _denials = meter.CreateCounter<long>("lettaplatform.tool.denials", "{call}", "Tool calls the guard refused, by tool and reason.");
    }

    public void Answered(string tool, string status, double durationMs)
    {
        var tags = new TagList { { "tool", tool }, { "status", status } };
        _executions.Add(1, tags);
        _duration.Record(durationMs, tags);
    }

    public void Denied(string tool, string reason) => _denials.Add(1, new TagList { { "tool", tool }, { "reason", reason } });
}
