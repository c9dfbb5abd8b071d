using System.Text.RegularExpressions;

namespace LettaPlatform.Deployment.Tests;

/// <summary>
/// deploy/alerts: the rules are valid, their unit tests pass under promtool (Debian's prometheus
/// package; .ci/run installs it), a wrong rule makes those tests fail, and every metric a rule reads
/// is one the code emits.
/// </summary>
public sealed partial class AlertRulesTests
{
    private const string Rules = "lettaplatform.rules.yml";
    private const string RuleTests = "lettaplatform.rules.test.yml";

    /// <summary>Each Prometheus name the rules use, and the instrument (file, name) it is exported from.</summary>
    private static readonly Dictionary<string, (string File, string Instrument)> Exported = new()
    {
        ["chat_turns_total"] = ("services/Chat.Api/ChatMetrics.cs", "\"chat.turns\""),
        ["chat_turn_duration_seconds_bucket"] = ("services/Chat.Api/ChatMetrics.cs", "\"chat.turn.duration\", \"s\""),
        ["chat_approvals_oldest_pending_age_seconds"] = ("services/Chat.Api/ChatMetrics.cs", "\"chat.approvals.oldest_pending_age\", ObserveOldestPendingApprovalAge, \"s\""),
        ["chat_approvals_expired_total"] = ("services/Chat.Api/ChatMetrics.cs", "\"chat.approvals.expired\""),
        ["lettaplatform_health_status"] = ("ServiceDefaults/Diagnostics/HealthMetrics.cs", "\"lettaplatform.health.status\""),
        ["lettaplatform_outbox_oldest_pending_age_seconds"] = ("ServiceDefaults/Messaging/Outbox/OutboxMetrics.cs", "\"lettaplatform.outbox.oldest_pending_age\",\n            ObserveOldestPendingAge,\n            \"s\""),
        // MassTransit's own counters (unit "ea"), from the meter ServiceDefaults exports.
        ["messaging_masstransit_consume_errors_ea_total"] = ("ServiceDefaults/Extensions.cs", ".AddMeter(\"MassTransit\""),
        ["messaging_masstransit_consume_retries_ea_total"] = ("ServiceDefaults/Extensions.cs", ".AddMeter(\"MassTransit\""),
    };

    [Fact]
    public async Task Rules_AreValid()
    {
        var result = await PromtoolAsync(["check", "rules", Rules], Repository.Alerts);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RuleUnitTests_Pass()
    {
        var result = await PromtoolAsync(["test", "rules", RuleTests], Repository.Alerts);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("> 0.05", "> 0.5")]
    [InlineData("> 18 * 3600", "> 20 * 3600")]
    [InlineData("{check=~\"letta-.+\"}) < 2", "{check=~\"letta-.+\"}) < 1")]
    [InlineData("lettaplatform_outbox_oldest_pending_age_seconds) > 300", "lettaplatform_outbox_oldest_pending_age_seconds) > 3000")]
    public async Task RuleUnitTests_WrongThreshold_Fail(string find, string replace)
    {
        var copy = Directory.CreateTempSubdirectory("lettaplatform-alerts-");
        try
        {
            var rules = await File.ReadAllTextAsync(Path.Combine(Repository.Alerts, Rules), TestContext.Current.CancellationToken);
            Assert.Contains(find, rules, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(copy.FullName, Rules), rules.Replace(find, replace, StringComparison.Ordinal), TestContext.Current.CancellationToken);
            File.Copy(Path.Combine(Repository.Alerts, RuleTests), Path.Combine(copy.FullName, RuleTests));

            var result = await PromtoolAsync(["test", "rules", RuleTests], copy.FullName);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("FAILED", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public void Rules_ReadOnlyMetricsTheCodeEmits()
    {
        var rules = File.ReadAllText(Path.Combine(Repository.Alerts, Rules));
        var used = MetricName().Matches(rules).Select(m => m.Value).ToHashSet();

        Assert.Equal(Exported.Keys.Order(), used.Order());
        // The platform's own instruments, by the same translation the Grafana dashboard is checked with (MassTransit's come from its library).
        Assert.All(used.Where(name => !name.StartsWith("messaging_", StringComparison.Ordinal)), name => Assert.Contains(name, EmittedMetrics.SeriesNames));
        foreach (var (name, (file, instrument)) in Exported)
        {
            Assert.True(File.ReadAllText(Path.Combine(Repository.Root, file)).Contains(instrument, StringComparison.Ordinal),
                $"{name}: {file} no longer creates {instrument}");
        }
    }

    private static async Task<ToolResult> PromtoolAsync(string[] arguments, string directory)
    {
        if (!File.Exists("/usr/bin/promtool"))
        {
            Assert.Fail("promtool is not installed: apt-get install prometheus (.ci/run installs it)");
        }

        return await Tool.RunAsync("promtool", arguments, workingDirectory: directory);
    }

    /// <summary>A series name in an expression: lower-case words joined by underscores, before a selector or a bracket.</summary>
    [GeneratedRegex(@"\b(?:chat|lettaplatform|messaging)_[a-z_]+(?=[{\[)\s])")]
    private static partial Regex MetricName();
}
