using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LettaPlatform.Deployment.Tests;

/// <summary>
/// deploy/grafana/agent-usage.json: valid JSON Grafana reads, every PromQL query (panels and variables) reads only
/// series the services emit (<see cref="EmittedMetrics"/>), and the dashboard covers what operators asked for.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly string DashboardPath = Path.Combine(Repository.Root, "deploy", "grafana", "agent-usage.json");

    private static readonly HashSet<string> PromQlWords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless", "inf", "nan",
    };

    [Fact]
    public void Dashboard_EveryQuery_ReadsOnlyMetricsTheServicesEmit()
    {
        var queries = Queries(JsonNode.Parse(File.ReadAllText(DashboardPath))!).ToList();

        Assert.True(queries.Count >= 20, $"only {queries.Count} queries");
        var unknown = queries.SelectMany(q => MetricNames(q).Select(name => (name, q))).Where(u => !EmittedMetrics.SeriesNames.Contains(u.name)).ToList();
        Assert.True(unknown.Count == 0, "Not emitted by the code: " + string.Join("; ", unknown.Select(u => $"{u.name} in {u.q}")));
    }

    [Fact]
    public void Dashboard_CoversTemplatesInstancesPeopleToolsApprovalsErrorsAndArchivedAgents()
    {
        var queries = string.Join("\n", Queries(JsonNode.Parse(File.ReadAllText(DashboardPath))!));

        foreach (var expected in new[]
        {
            "sum by (template) (rate(chat_turns_total", "sum by (letta_instance) (rate(chat_turns_total", "sum by (person) (increase(chat_person_turns_total",
            "chat_tokens_total", "sum by (tool, outcome) (rate(chat_tool_calls_total", "sum by (decision) (increase(chat_approvals_total",
            "chat_approval_wait_seconds_bucket", "chat_turn_duration_seconds_bucket", "sum by (code) (increase(chat_errors_total",
            "sum by (status) (agentmanagement_agents_by_status)",
        })
        {
            Assert.Contains(expected, queries, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MetricCheck_NameTheCodeDoesNotEmit_IsCaught()
    {
        Assert.Contains("chat_turns_total", MetricNames("sum by (template) (rate(chat_turns_total{template=~\"$template\"}[$__rate_interval]))"));
        Assert.DoesNotContain("chat_turns", EmittedMetrics.SeriesNames);
        Assert.DoesNotContain("chat_turn_duration_bucket", EmittedMetrics.SeriesNames);
        Assert.Equal(["x_seconds_bucket"], MetricNames("histogram_quantile(0.95, sum by (le, template) (rate(x_seconds_bucket{template=~\"$template\"}[5m])))"));
        Assert.Equal(["a_total", "b"], MetricNames("topk(10, sum without (person) (increase(a_total[$__range]))) / on (template) group_left b > 0"));
    }

    [Fact]
    public void Translation_MatchesOpenTelemetrysPrometheusNames()
    {
        const string source = """
            meter.CreateCounter<long>("chat.turns", "{turn}", "Turns by outcome (completed, failed).");
            meter.CreateHistogram<double>("chat.turn.duration", "s", "Duration, from the request to done.");
            meter.CreateObservableGauge("chat.approvals.oldest_pending_age", () => Read(ref _ticks), "s", "Age.");
            meter.CreateCounter<long>("memory_sync.conflicts", description: "Crossing edits, detected.");
            meter.CreateCounter<long>("agentmanagement.archive.freed", "By", "Bytes.");
            """;

        var series = EmittedMetrics.Instruments(source).SelectMany(i => EmittedMetrics.Series(i.Kind, i.Name, i.Unit)).ToList();

        Assert.Equal(
            ["chat_turns_total", "chat_turn_duration_seconds_bucket", "chat_turn_duration_seconds_sum", "chat_turn_duration_seconds_count",
             "chat_approvals_oldest_pending_age_seconds", "memory_sync_conflicts_total", "agentmanagement_archive_freed_bytes_total"],
            series);
    }

    /// <summary>Every PromQL expression: each panel target's <c>expr</c> and each query variable's query.</summary>
    private static IEnumerable<string> Queries(JsonNode dashboard)
    {
        foreach (var panel in Flatten(dashboard["panels"]!.AsArray()))
        {
            foreach (var target in panel["targets"]?.AsArray() ?? [])
            {
                yield return target!["expr"]!.GetValue<string>();
            }
        }

        foreach (var variable in dashboard["templating"]?["list"]?.AsArray() ?? [])
        {
            if (variable!["type"]!.GetValue<string>() == "query")
            {
                var query = variable["query"] is JsonObject wrapped ? wrapped["query"]!.GetValue<string>() : variable["query"]!.GetValue<string>();
                yield return LabelValues().Replace(query, "$1");
            }
        }
    }

    private static IEnumerable<JsonNode> Flatten(JsonArray panels) =>
        panels.SelectMany(p => p!["panels"] is JsonArray nested ? Flatten(nested).Prepend(p) : [p]);

    /// <summary>
    /// The series names in a PromQL expression: identifiers that are not functions (followed by a parenthesis), not
    /// label names in selectors or in <c>by (…)</c>, not keywords, durations, numbers or Grafana variables.
    /// </summary>
    private static List<string> MetricNames(string expression)
    {
        var text = Strings().Replace(expression, "\"\"");
        text = Selector().Replace(text, "");
        text = Range().Replace(text, "");
        text = Grouping().Replace(text, " ");
        return [.. Identifier().Matches(text).Select(m => m.Value).Where(name => !PromQlWords.Contains(name)).Distinct()];
    }

    [GeneratedRegex(@"label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,[^)]*\)")]
    private static partial Regex LabelValues();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w$.])[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()")]
    private static partial Regex Identifier();
}
