using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LettaPlatform.Hosting;

/// <summary>
/// A process started on behalf of this one. It runs in its own session (so a Ctrl+C in the terminal
/// reaches only the owner, which then stops children in order) and with a parent-death signal, so
/// it dies with its owner even when the owner is killed outright.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private readonly Process process;
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process) => this.process = process;

    public int Id => process.Id;

    /// <summary>Completes with the exit code once the process and its output streams are done.</summary>
    public Task<int> Exited => exited.Task;

    public bool HasExited => exited.Task.IsCompleted;

    public static async Task<ChildProcess> StartAsync(ProcessSpec spec, Action<string>? output = null)
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        var launcher = Launcher.Wrap(spec.FileName, spec.Arguments, spec.User, spec.DieWithOwner);
        startInfo.FileName = launcher[0];
        foreach (var argument in launcher.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in spec.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(key);
            }
            else
            {
                startInfo.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(process);

        // Done once the process has exited and both output streams reached their end, so no line is lost.
        var pending = 3;
        void Arrive()
        {
            if (Interlocked.Decrement(ref pending) == 0)
            {
                child.exited.TrySetResult(process.ExitCode);
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => Arrive();
        void OnLine(string? line)
        {
            if (line is null)
            {
                Arrive();
            }
            else
            {
                output?.Invoke(line);
            }
        }

        await Launcher.StartOnOwnerThreadAsync(process).ConfigureAwait(false);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public void Signal(int signal)
    {
        if (!HasExited)
        {
            _ = NativeMethods.kill(process.Id, signal);
        }
    }

    /// <summary>Sends <paramref name="signal"/> and waits; kills the process when it does not exit in time.</summary>
    public async Task StopAsync(int signal, TimeSpan timeout)
    {
        if (HasExited)
        {
            return;
        }

        Signal(signal);
        if (await WaitForExitAsync(timeout).ConfigureAwait(false))
        {
            return;
        }

        Signal(SigKill);
        await WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(Exited, Task.Delay(timeout)).ConfigureAwait(false);
        return finished == Exited;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(15, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        process.Dispose();
    }

    private static class Launcher
    {
        private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = [];
        private static readonly string? Setsid = Which("setsid");
        private static readonly string? Setpriv = Which("setpriv");

        static Launcher()
        {
            // The kernel delivers the parent-death signal when the *thread* that forked the child
            // exits. Thread-pool threads come and go, so every child is forked from this one thread,
            // which lives as long as the process.
            var thread = new Thread(() =>
            {
                foreach (var (process, started) in Requests.GetConsumingEnumerable())
                {
                    try
                    {
                        process.Start();
                        started.SetResult();
                    }
                    catch (Exception exception)
                    {
                        started.SetException(exception);
                    }
                }
            })
            {
                IsBackground = true,
                Name = "child-process-launcher",
            };
            thread.Start();
        }

        public static Task StartOnOwnerThreadAsync(Process process)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Requests.Add((process, started));
            return started.Task;
        }

        public static IReadOnlyList<string> Wrap(string fileName, IReadOnlyList<string> arguments, string? user, bool dieWithOwner)
        {
            var command = new List<string>();
            if (Setsid is not null)
            {
                command.Add(Setsid);
            }

            var switchUser = user is not null && ServiceAccount.IsRoot && user != "root";
            if (switchUser && Setpriv is null)
            {
                throw new InvalidOperationException($"Running {fileName} as '{user}' needs setpriv (package util-linux).");
            }

            if (Setpriv is not null && (switchUser || dieWithOwner))
            {
                command.Add(Setpriv);
                if (switchUser)
                {
                    command.AddRange([$"--reuid={user}", $"--regid={user}", "--init-groups"]);
                }

                if (dieWithOwner)
                {
                    command.AddRange(["--pdeathsig", "KILL"]);
                }

                command.Add("--");
            }

            command.Add(fileName);
            command.AddRange(arguments);
            return command;
        }
    }

    internal static string? Which(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/sbin").Append("/usr/bin")
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int kill(int pid, int sig);
    }
}

/// <summary>What to run. <see cref="User"/> only takes effect when the owner runs as root.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? User { get; init; }

    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public bool DieWithOwner { get; init; } = true;
}
