using System.ComponentModel;
using System.Diagnostics;

namespace LettaPlatform.Gateway.Tests;

public sealed record CheckResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit code {ExitCode}\n{Output}";
}

/// <summary>
/// Runs the chat page's type check (TypeScript over the JSDoc types) and lint (ESLint) from
/// gateway/frontend-checks, whose packages npm installs there from package-lock.json on first use.
/// </summary>
public static class FrontEndChecks
{
    public static string Folder { get; } = Path.Combine(FindRepositoryRoot(), "gateway", "frontend-checks");

    private static string Tsc => Path.Combine(Folder, "node_modules", "typescript", "bin", "tsc");

    private static string ESLint => Path.Combine(Folder, "node_modules", "eslint", "bin", "eslint.js");

    // npm is a batch file on Windows, which Process.Start only runs by its full name.
    private static string Npm => OperatingSystem.IsWindows() ? "npm.cmd" : "npm";

    /// <summary>`npm run check`: tsc --noEmit over wwwroot/js with the project's tsconfig.json.</summary>
    public static async Task<CheckResult> TypeCheckAsync()
    {
        await EnsureInstalledAsync();
        return await RunAsync(Npm, ["run", "--silent", "check"], Folder);
    }

    /// <summary>`npm run lint`: ESLint over wwwroot/js with the project's eslint.config.js.</summary>
    public static async Task<CheckResult> LintAsync()
    {
        await EnsureInstalledAsync();
        return await RunAsync(Npm, ["run", "--silent", "lint"], Folder);
    }

    /// <summary>The project's compiler settings (tsconfig.json, extended) over the JavaScript files in <paramref name="folder"/>.</summary>
    public static async Task<CheckResult> TypeCheckFolderAsync(string folder)
    {
        await EnsureInstalledAsync();
        var config = Path.Combine(folder, "tsconfig.json");
        await File.WriteAllTextAsync(config, $$"""{ "extends": "{{Path.Combine(Folder, "tsconfig.json").Replace('\\', '/')}}", "include": ["**/*.js"] }""", TestContext.Current.CancellationToken);
        return await RunAsync("node", [Tsc, "--noEmit", "-p", config], folder);
    }

    /// <summary>The project's lint rules over <paramref name="folder"/>/wwwroot/js, the files the config applies to.</summary>
    public static async Task<CheckResult> LintFolderAsync(string folder)
    {
        await EnsureInstalledAsync();
        return await RunAsync("node", [ESLint, "--config", Path.Combine(Folder, "eslint.config.js"), "wwwroot/js"], folder);
    }

    /// <summary>
    /// `npm ci` once, when node_modules is missing or older than package-lock.json. A file lock keeps test
    /// runs in parallel processes from installing into the same folder at once.
    /// </summary>
    private static async Task EnsureInstalledAsync()
    {
        using var installLock = await LockAsync();
        var marker = Path.Combine(Folder, "node_modules", ".package-lock.json");
        if (File.Exists(marker) && File.GetLastWriteTimeUtc(marker) >= File.GetLastWriteTimeUtc(Path.Combine(Folder, "package-lock.json")))
        {
            return;
        }

        var npm = await RunAsync(Npm, ["ci", "--no-audit", "--no-fund"], Folder, TimeSpan.FromMinutes(5));
        Assert.True(npm.ExitCode == 0, $"npm ci in {Folder} failed: {npm}");
    }

    private static async Task<FileStream> LockAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "lettaplatform-tests", "frontend-checks-npm.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow.AddMinutes(6);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, TestContext.Current.CancellationToken);
            }
        }
    }

    private static async Task<CheckResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        }
        catch (Win32Exception error)
        {
            Assert.Fail($"""
                {fileName} could not be started ({error.Message}). The front-end checks need Node.js 18.18 or later with npm:
                `apt-get install nodejs npm` on Debian/Ubuntu (.ci/run installs them), or https://nodejs.org elsewhere.
                """);
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            cancel.CancelAfter(timeout ?? TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish in time.");
            }

            return new CheckResult(process.ExitCode, $"{await output}{await error}".Trim());
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LettaPlatform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No LettaPlatform.sln above {AppContext.BaseDirectory}.");
    }
}
