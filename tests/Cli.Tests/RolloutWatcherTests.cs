using LettaPlatform.Cli.Platform;
using LettaPlatform.Cli.Rollouts;

namespace LettaPlatform.Cli.Tests;

public class RolloutWatcherTests
{
    [Fact]
    public void PhaseOver_Canary_WhenNoCanaryAgentIsPending()
    {
        var waiting = NewRollout(Rollout.Canary, ("pending", true), ("applied", true), ("pending", false));
        var done = NewRollout(Rollout.Canary, ("failed", true), ("applied", true), ("pending", false));

        Assert.False(RolloutWatcher.PhaseOver(waiting));
        Assert.True(RolloutWatcher.PhaseOver(done));
        Assert.Equal("canary       2/2 agents (100%)  applied 1  failed 1  skipped 0", RolloutWatcher.ProgressLine(done));
    }

    [Theory]
    [InlineData(Rollout.Promoting, false)]
    [InlineData(Rollout.RollingBack, false)]
    [InlineData(Rollout.Completed, true)]
    [InlineData(Rollout.RolledBack, true)]
    public void PhaseOver_AfterTheCanary_WhenTheStatusIsFinal(string status, bool over)
    {
        Assert.Equal(over, RolloutWatcher.PhaseOver(NewRollout(status, ("applied", true), ("applied", false))));
    }

    [Fact]
    public void ProgressLine_Promoting_CountsEveryAgent()
    {
        var rollout = NewRollout(Rollout.Promoting, ("applied", true), ("applied", false), ("pending", false));

        Assert.Equal("promoting    2/3 agents (66%)  applied 2  failed 0  skipped 0", RolloutWatcher.ProgressLine(rollout));
    }

    private static Rollout NewRollout(string status, params (string State, bool Canary)[] agents)
    {
        int Count(string state) => agents.Count(a => a.State == state);
        return new Rollout(Guid.NewGuid(), "helper", 2, 1, 50, status,
            new RolloutProgress(agents.Length, agents.Count(a => a.Canary), Count("pending"), Count("applied"), Count("failed"), Count("rolled_back"), Count("rollback_failed"), Count("skipped")),
            [.. agents.Select(a => new RolloutAgent(Guid.NewGuid(), a.Canary, 1, a.State, null))]);
    }
}
