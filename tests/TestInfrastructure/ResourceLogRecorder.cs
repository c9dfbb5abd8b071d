using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;

namespace LettaPlatform.TestInfrastructure;

/// <summary>
/// Keeps what every resource of a test platform logged: each replica's whole log in a file of its own under
/// <c>artifacts/test-logs/</c> (the fixture's filter keeps the AppHost's own output to warnings, and a
/// service's warning reaches Aspire as an ordinary output line, so without this it is lost), and the
/// services' warnings and errors, which <see cref="Dispose"/> writes to the test process's output: a run
/// that fails shows them beside the failed test.
/// </summary>
internal sealed partial class ResourceLogRecorder(ResourceLoggerService loggers, string fixtureName, CancellationToken stopping) : IDisposable
{
    private const int MaxReportedLines = 300;
    private readonly ConcurrentDictionary<string, Task> watched = new();
    private readonly ConcurrentQueue<string> problems = new();
    private int problemCount;

    /// <summary>Where the logs are written (one file per resource replica).</summary>
    public string Directory { get; } = CreateDirectory(fixtureName);

    /// <summary>Starts keeping the log of <paramref name="resourceId"/> (a replica's id); a second call does nothing.</summary>
    public void Watch(string resourceId) => watched.GetOrAdd(resourceId, id => Task.Run(() => RecordAsync(id)));

    private async Task RecordAsync(string resourceId)
    {
        var path = Path.Combine(Directory, $"{string.Concat(resourceId.Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '_'))}.log");
        StreamWriter? file = null;
        var inProblem = false;
        try
        {
            await foreach (var batch in loggers.WatchAsync(resourceId).WithCancellation(stopping))
            {
                foreach (var line in batch)
                {
                    file ??= new StreamWriter(path, append: true) { AutoFlush = true };
                    await file.WriteLineAsync(AnsiEscape().Replace(line.Content, ""));
                    // A console log entry is a "warn: Category[id]" line followed by its indented message lines.
                    var content = Timestamp().Replace(AnsiEscape().Replace(line.Content, ""), "");
                    inProblem = ProblemStart().IsMatch(content) || (inProblem && content.StartsWith(' '));
                    if (inProblem || line.IsErrorMessage)
                    {
                        Report($"{resourceId}: {content}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The platform stopped; the file holds everything it logged until then.
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
        }
    }

    private void Report(string line)
    {
        problems.Enqueue(line);
        Interlocked.Increment(ref problemCount);
        while (problems.Count > MaxReportedLines && problems.TryDequeue(out _))
        {
        }
    }

    /// <summary>Writes the last warnings and errors the resources logged to the test process's output.</summary>
    public void Dispose()
    {
        if (problemCount == 0)
        {
            return;
        }

        var lines = problems.ToArray();
        Console.WriteLine($"The platform's resources ({fixtureName}) logged {problemCount} warning or error lines; the last {lines.Length}, "
            + $"with every resource's whole log in {Directory}:");
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
    }

    private static string CreateDirectory(string fixtureName)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LettaPlatform.sln")))
        {
            root = root.Parent;
        }

        var directory = Path.Combine(root?.FullName ?? Path.GetTempPath(), "artifacts", "test-logs",
            $"{fixtureName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    // The services' console logger colours its level names.
    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT[\d:.]+Z? ")]
    private static partial Regex Timestamp();

    [GeneratedRegex("^(warn|fail|crit): ")]
    private static partial Regex ProblemStart();
}
