namespace LettaPlatform.Deployment.Tests;

/// <summary>Paths in the repository these tests check (found from the test binary's folder).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Kubernetes => Path.Combine(Root, "deploy", "kubernetes");

    public static string Alerts => Path.Combine(Root, "deploy", "alerts");

    private static string FindRoot()
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
