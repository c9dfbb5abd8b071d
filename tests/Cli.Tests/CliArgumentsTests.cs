using System.Net;
using System.Net.Sockets;

namespace LettaPlatform.Cli.Tests;

/// <summary>What the CLI does before (or without) reaching a platform: usage errors, file errors, an unreachable address.</summary>
public class CliArgumentsTests
{
    [Fact]
    public async Task Run_NoCommand_IsAUsageError()
    {
        var run = await Lettactl.RunAsync();

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("lettactl --help", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rollout", "promote", "task-manager", "not-a-guid")]
    [InlineData("rollout", "start", "task-manager", "2")]
    [InlineData("templates", "apply", "dir", "--canary-percent", "150")]
    [InlineData("rollout", "watch", "task-manager", "0193b4a2-59e5-7c3e-9d8a-1f2e3d4c5b6a", "--interval", "0")]
    [InlineData("agents", "move", "0193b4a2-59e5-7c3e-9d8a-1f2e3d4c5b6a")]
    public async Task Run_InvalidArguments_IsAUsageError(params string[] args)
    {
        var run = await Lettactl.RunAsync(args);

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
    }

    [Fact]
    public async Task Diff_WithoutUrl_IsAUsageErrorNamingTheVariable()
    {
        var run = await Lettactl.RunAsync("templates", "diff", Lettactl.RepositoryTemplates, "--token", "t", "--url", " ");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("LETTA_PLATFORM_URL", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_WatchWithoutCanaryPercent_IsAUsageError()
    {
        var run = await Lettactl.RunAsync("templates", "apply", Lettactl.RepositoryTemplates, "--watch", "--url", "http://127.0.0.1:1", "--token", "t");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--canary-percent", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_RepositoryTemplates_NeedsNoPlatform()
    {
        var run = await Lettactl.RunAsync("templates", "validate", Lettactl.RepositoryTemplates, "--env", "dev");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("3 templates are valid (base + dev): code-assistant, documentation, task-manager", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_InvalidFile_ExitsWithInvalidTemplates()
    {
        using var folder = TemplateFolder.Empty().Write("base/helper.yaml", "id: helper\n");

        var run = await Lettactl.RunAsync("templates", "validate", folder.Path);

        Assert.Equal(ExitCodes.InvalidTemplates, run.ExitCode);
        Assert.Contains("'systemPrompt' is required", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_UnreachablePlatform_ExitsWithUnreachableAndNeverPrintsTheToken()
    {
        const string Token = "secret-token-that-must-not-be-printed";
        var run = await Lettactl.RunAsync("templates", "diff", Lettactl.RepositoryTemplates, "--url", $"http://127.0.0.1:{ClosedPort()}", "--token", Token);

        Assert.True(run.ExitCode == ExitCodes.Unreachable, run.ToString());
        Assert.Contains("could not be reached", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DoesNotShowTheTokenFromTheEnvironment()
    {
        const string Token = "secret-token-from-the-environment";
        Environment.SetEnvironmentVariable("LETTA_PLATFORM_TOKEN", Token);
        try
        {
            var run = await Lettactl.RunAsync("templates", "apply", "--help");

            Assert.Equal(ExitCodes.Success, run.ExitCode);
            Assert.Contains("--promote-when-healthy", run.Output, StringComparison.Ordinal);
            Assert.Contains("LETTA_PLATFORM_TOKEN", run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, run.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LETTA_PLATFORM_TOKEN", null);
        }
    }

    /// <summary>A port nothing listens on: bound, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
