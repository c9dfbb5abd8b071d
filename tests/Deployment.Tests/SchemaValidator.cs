using System.Text.Json;

namespace LettaPlatform.Deployment.Tests;

public sealed record SchemaResult(string? ApiVersion, string? Kind, string? Name, IReadOnlyList<string> Errors);

/// <summary>
/// Validates manifests against the Kubernetes OpenAPI schemas of the target version with
/// SchemaValidation/validate.mjs (Node, kubernetes-models from the npm registry, pinned in
/// package-lock.json and installed beside the test binary on first use).
/// </summary>
public static class SchemaValidator
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "SchemaValidation");
    private static readonly SemaphoreSlim Install = new(1, 1);

    public static async Task<IReadOnlyList<SchemaResult>> ValidateAsync(string yaml)
    {
        await EnsureInstalledAsync();
        var result = await Tool.RunAsync("node", ["validate.mjs"], workingDirectory: Folder, standardInput: yaml);
        var results = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<SchemaResult>(line, JsonSerializerOptions.Web)!)
            .ToList();
        Assert.True(result.ExitCode is 0 or 1 && results.Count > 0, $"The schema validator failed: {result}");
        Assert.Equal(results.Any(r => r.Errors.Count > 0) ? 1 : 0, result.ExitCode);
        return results;
    }

    private static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            var marker = Path.Combine(Folder, "node_modules", ".package-lock.json");
            if (File.Exists(marker) && File.GetLastWriteTimeUtc(marker) >= File.GetLastWriteTimeUtc(Path.Combine(Folder, "package-lock.json")))
            {
                return;
            }

            var npm = await Tool.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], workingDirectory: Folder, timeout: TimeSpan.FromMinutes(5));
            Assert.True(npm.ExitCode == 0, $"npm ci failed: {npm}");
        }
        finally
        {
            Install.Release();
        }
    }
}
