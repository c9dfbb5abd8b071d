using System.Diagnostics;
using Microsoft.Playwright;

namespace LettaPlatform.Browser.Tests;

/// <summary>
/// One headless Debian Chromium for the whole run, driven by the Playwright driver the NuGet package
/// ships in the output folder. Playwright's own browser download is never used: the machine is offline.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: artifacts/screenshots under the repository root (git-ignored).</summary>
    public string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public async ValueTask InitializeAsync()
    {
        EnsureChromium();
        Directory.CreateDirectory(ScreenshotDirectory);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
    }

    private static void EnsureChromium()
    {
        if (File.Exists(ChromiumPath))
        {
            return;
        }

        // CI images install it; a fresh machine gets it from the distribution only when we may.
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing; install Debian's chromium package.");
        }

        using var install = Process.Start(new ProcessStartInfo("apt-get", "install -y chromium") { UseShellExecute = false })!;
        install.WaitForExit();
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"apt-get install chromium exited with {install.ExitCode} and {ChromiumPath} is still missing.");
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LettaPlatform.sln")))
            {
                return directory.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
