using System.ComponentModel;
using System.Diagnostics;

namespace LettaPlatform.Deployment.Tests;

/// <summary>Paths in the repository these tests check (found from the test binary's folder).</summary>
public static class Repository
{
    /// <summary>Folders a clone never has (build output, packages, test and run artifacts), skipped when git cannot list the files.</summary>
    private static readonly HashSet<string> Generated = new(StringComparer.Ordinal)
    {
        ".git", ".data", "bin", "obj", "node_modules", "artifacts", "TestResults",
    };

    public static string Root { get; } = FindRoot();

    public static string Kubernetes => Path.Combine(Root, "deploy", "kubernetes");

    public static string Alerts => Path.Combine(Root, "deploy", "alerts");

    /// <summary>
    /// The files a clone of the repository has, as paths relative to <see cref="Root"/> with '/': what git
    /// tracks plus what it would (untracked, not ignored). Without git, a walk of the folder that skips
    /// <see cref="Generated"/> folders.
    /// </summary>
    public static IReadOnlySet<string> Files { get; } = ListFiles();

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

    private static HashSet<string> ListFiles()
    {
        var listed = GitFiles() ?? WalkFiles();

        // The index still lists a file deleted from the working tree until the deletion is staged.
        return listed.Where(path => File.Exists(Path.Combine(Root, path))).ToHashSet(StringComparer.Ordinal);
    }

    private static List<string>? GitFiles()
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        foreach (var argument in new[] { "ls-files", "-z", "--cached", "--others", "--exclude-standard" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? [.. output.Split('\0', StringSplitOptions.RemoveEmptyEntries)] : null;
        }
        catch (Win32Exception)
        {
            // git is not installed: a source archive is checked by walking it.
            return null;
        }
    }

    private static List<string> WalkFiles()
    {
        var files = new List<string>();
        var pending = new Stack<string>([Root]);
        while (pending.TryPop(out var directory))
        {
            foreach (var child in Directory.EnumerateDirectories(directory).Where(d => !Generated.Contains(Path.GetFileName(d))))
            {
                pending.Push(child);
            }

            files.AddRange(Directory.EnumerateFiles(directory).Select(file => Path.GetRelativePath(Root, file).Replace('\\', '/')));
        }

        return files;
    }
}
