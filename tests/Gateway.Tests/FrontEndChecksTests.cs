namespace LettaPlatform.Gateway.Tests;

/// <summary>The chat page (gateway/wwwroot/js) type-checks and lints clean, and the checks do fail on bad code.</summary>
public sealed class FrontEndChecksTests : IDisposable
{
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("frontend-checks-");

    [Fact]
    public async Task TypeCheck_ChatPage_FindsNoErrors()
    {
        var result = await FrontEndChecks.TypeCheckAsync();

        Assert.True(result.ExitCode == 0, $"tsc found type errors in gateway/wwwroot/js (run `npm run check` in gateway/frontend-checks):\n{result}");
    }

    [Fact]
    public async Task Lint_ChatPage_FindsNothing()
    {
        var result = await FrontEndChecks.LintAsync();

        Assert.True(result.ExitCode == 0, $"ESLint found problems in gateway/wwwroot/js (run `npm run lint` in gateway/frontend-checks):\n{result}");
    }

    [Fact]
    public async Task TypeCheck_StringAssignedToNumber_FailsWithTheError()
    {
        await File.WriteAllTextAsync(Path.Combine(scratch.FullName, "wrong.js"), """
            /** @type {number} */
            export const count = 'three';
            """, TestContext.Current.CancellationToken);

        var result = await FrontEndChecks.TypeCheckFolderAsync(scratch.FullName);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("wrong.js", result.Output, StringComparison.Ordinal);
        Assert.Contains("TS2322", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_UnusedVariable_FailsWithTheRule()
    {
        var js = Directory.CreateDirectory(Path.Combine(scratch.FullName, "wwwroot", "js"));
        await File.WriteAllTextAsync(Path.Combine(js.FullName, "unused.js"), """
            const forgotten = 1;
            export const used = 2;
            """, TestContext.Current.CancellationToken);

        var result = await FrontEndChecks.LintFolderAsync(scratch.FullName);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unused.js", result.Output, StringComparison.Ordinal);
        Assert.Contains("no-unused-vars", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => scratch.Delete(recursive: true);
}
