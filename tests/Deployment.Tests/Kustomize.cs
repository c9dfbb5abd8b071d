namespace LettaPlatform.Deployment.Tests;

/// <summary>
/// Renders a kustomization under deploy/kubernetes offline with <c>kubectl kustomize</c>, from a
/// copy of the folder in which every <c>*.env</c> file is written from its committed
/// <c>*.env.example</c>, as the deploy pipeline writes them from the secret store.
/// </summary>
public static class Kustomize
{
    /// <summary>Every kustomization an operator applies: the platform, its migrations and their rollback, per environment.</summary>
    public static TheoryData<string> Overlays { get; } = new(
        "overlays/dev", "overlays/prod",
        "overlays/dev/migrations", "overlays/prod/migrations",
        "overlays/dev/rollback", "overlays/prod/rollback");

    /// <param name="kustomization">Relative to deploy/kubernetes.</param>
    /// <param name="change">Edits the copy before rendering (tests that a broken manifest is caught).</param>
    public static async Task<string> RenderAsync(string kustomization, Action<string>? change = null)
    {
        var copy = Directory.CreateTempSubdirectory("lettaplatform-kustomize-");
        try
        {
            CopyDirectory(Repository.Kubernetes, copy.FullName);
            change?.Invoke(copy.FullName);
            var result = await Tool.RunAsync("kubectl", ["kustomize", Path.Combine(copy.FullName, kustomization)]);
            Assert.True(result.ExitCode == 0, $"kubectl kustomize {kustomization} failed: {result}");
            return result.Output;
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.EndsWith(".env", StringComparison.Ordinal) && !relative.EndsWith("platform-config.env", StringComparison.Ordinal))
            {
                // A developer's own secrets stay out of the test; the example stands in for them.
                continue;
            }

            var destination = Path.Combine(target, relative.EndsWith(".env.example", StringComparison.Ordinal) ? relative[..^".example".Length] : relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
