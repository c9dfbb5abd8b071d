namespace LettaPlatform.AppHost;

/// <summary>The AppHost's own flags, taken off the arguments before Aspire reads them as configuration.</summary>
internal static class PlatformArguments
{
    /// <summary><c>--fresh</c>: wipe the data folder (<c>DataDirectory</c>, default <c>.data</c>) before starting.</summary>
    public static string[] Prepare(string[] args)
    {
        if (!args.Contains("--fresh"))
        {
            return args;
        }

        var rest = args.Where(argument => argument != "--fresh").ToArray();
        var configured = rest.Select((argument, index) => (argument, index))
            .Where(pair => pair.argument.StartsWith("--DataDirectory", StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair.argument.Contains('=') ? pair.argument[(pair.argument.IndexOf('=') + 1)..] : rest.ElementAtOrDefault(pair.index + 1))
            .FirstOrDefault() ?? Environment.GetEnvironmentVariable("DataDirectory");
        var data = Path.GetFullPath(configured ?? Path.Combine(RepositoryRoot(), ".data"));
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
            Console.WriteLine($"Wiped {data}");
        }

        return rest;
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

        return Directory.GetCurrentDirectory();
    }
}
