namespace LettaPlatform.Cli.Tests;

/// <summary>A throw-away templates folder: a copy of the repository's (or an empty one) that a test writes files into.</summary>
public sealed class TemplateFolder : IDisposable
{
    private TemplateFolder(string path) => Path = path;

    public string Path { get; }

    public static TemplateFolder Empty()
    {
        var folder = new TemplateFolder(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lettactl-tests", Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(System.IO.Path.Combine(folder.Path, "base"));
        return folder;
    }

    public static TemplateFolder CopyOfRepository()
    {
        var folder = Empty();
        foreach (var file in Directory.EnumerateFiles(Lettactl.RepositoryTemplates, "*.yaml", SearchOption.AllDirectories))
        {
            folder.Write(System.IO.Path.GetRelativePath(Lettactl.RepositoryTemplates, file), File.ReadAllText(file));
        }

        return folder;
    }

    /// <summary>Writes <paramref name="relativePath"/> (e.g. <c>base/x.yaml</c>), creating its folder.</summary>
    public TemplateFolder Write(string relativePath, string content)
    {
        var path = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
