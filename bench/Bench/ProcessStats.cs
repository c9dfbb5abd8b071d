namespace LettaPlatform.Bench;

/// <summary>
/// CPU time and resident memory of a process and everything it started (PostgreSQL's backends, RabbitMQ's Erlang
/// VM), read from Linux's /proc: what the kernel charged, not an estimate.
/// </summary>
public static class ProcessStats
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on Linux since 2.6

    /// <summary>CPU seconds (user + system) used so far by <paramref name="pid"/> and its living descendants.</summary>
    public static double CpuSeconds(int pid) => Tree(pid).Sum(p => Stat(p) is { } s ? (s.UserTicks + s.SystemTicks) / TicksPerSecond : 0);

    /// <summary>
    /// Resident memory of the server a resource runs, in MiB (VmRSS): <paramref name="pid"/> itself, or, while that
    /// process is a launcher with one child (DCP starts a project through <c>dotnet run</c>, PostgreSQL through a shell
    /// wrapper), the child it launched. A deployment runs the server alone, without the launcher.
    /// </summary>
    public static double RssMiB(int pid) => Memory(pid).GetValueOrDefault("VmRSS");

    /// <summary>
    /// The same server's resident memory by kind, in MiB: <c>anon</c> (its heaps), <c>file</c> (mapped files: the
    /// runtime's and the application's assemblies, shared with every process that maps them) and <c>shmem</c> (shared
    /// memory; .NET maps its generated code twice through it, writable and executable).
    /// </summary>
    public static Dictionary<string, double> RssBreakdownMiB(int pid)
    {
        var memory = Memory(pid);
        return new() { ["anon"] = memory.GetValueOrDefault("RssAnon"), ["file"] = memory.GetValueOrDefault("RssFile"), ["shmem"] = memory.GetValueOrDefault("RssShmem") };
    }

    private static Dictionary<string, double> Memory(int pid)
    {
        var children = Children();
        while (IsLauncher(pid) && children.GetValueOrDefault(pid) is [var only])
        {
            pid = only;
        }

        try
        {
            return File.ReadLines($"/proc/{pid}/status")
                .Select(line => line.Split(':', 2))
                .Where(parts => parts is ["VmRSS" or "RssAnon" or "RssFile" or "RssShmem", _])
                .ToDictionary(parts => parts[0], parts => long.Parse(parts[1].Trim().Split(' ')[0]) / 1024.0);
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>
    /// Context switches so far (voluntary and not) of every thread of <paramref name="pid"/> and its living descendants:
    /// each time a thread waits for a reply and is woken, the kernel switches it out and in.
    /// </summary>
    public static long ContextSwitches(int pid) => Tree(pid).Sum(process =>
    {
        try
        {
            return Directory.EnumerateDirectories($"/proc/{process}/task").Sum(task => File.ReadLines($"{task}/status")
                .Where(line => line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                .Sum(line => long.Parse(line[(line.IndexOf(':') + 1)..].Trim())));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0L;
        }
    });

    /// <summary>
    /// CPU seconds so far of each living thread named <paramref name="threadName"/> (as the kernel shows it, 15 characters
    /// at most) in <paramref name="processes"/>, by thread; .NET names its background JIT thread
    /// <see cref="TieredCompilationThread"/>. A thread's time leaves the reading when it exits: see <see cref="ThreadCpu"/>.
    /// </summary>
    private static Dictionary<string, double> ThreadCpuSeconds(IEnumerable<int> processes, string threadName) => processes
        .SelectMany(process =>
        {
            try
            {
                return Directory.EnumerateDirectories($"/proc/{process}/task").Where(task => ReadComm(task) == threadName).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return [];
            }
        })
        .Select(task => (task, stat: Stat(task)))
        .Where(t => t.stat is not null)
        .ToDictionary(t => t.task, t => (t.stat!.Value.UserTicks + t.stat.Value.SystemTicks) / TicksPerSecond);

    /// <summary>The thread that re-compiles methods a process calls often (tiered compilation), as the kernel names it.</summary>
    public const string TieredCompilationThread = ".NET Tiered Com";

    private static string? ReadComm(string task)
    {
        try
        {
            return File.ReadAllText($"{task}/comm").TrimEnd('\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>CPU seconds used by the whole machine so far (all processes), from /proc/stat.</summary>
    public static double MachineCpuSeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // user nice system (idle iowait excluded) irq softirq steal
        return new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(fields[i])) / TicksPerSecond;
    }

    private static IEnumerable<int> Tree(int root)
    {
        var children = Children();
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out var pid))
        {
            yield return pid;
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                pending.Push(child);
            }
        }
    }

    /// <summary><c>dotnet run …</c> or a shell script: what starts a server rather than being one.</summary>
    private static bool IsLauncher(int pid)
    {
        try
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            var program = Path.GetFileName(args[0]);
            return program is "sh" or "bash" or "dash" || (program == "dotnet" && args.Length > 1 && args[1] == "run");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static Dictionary<int, List<int>> Children()
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat)
            {
                (children.TryGetValue(stat.ParentPid, out var list) ? list : children[stat.ParentPid] = []).Add(pid);
            }
        }

        return children;
    }

    private static (int ParentPid, long UserTicks, long SystemTicks)? Stat(int pid) => Stat($"/proc/{pid}");

    /// <param name="path">A process's directory in /proc, or one of its threads' (<c>/proc/PID/task/TID</c>).</param>
    private static (int ParentPid, long UserTicks, long SystemTicks)? Stat(string path)
    {
        try
        {
            // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
            var text = File.ReadAllText($"{path}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1]), long.Parse(fields[11]), long.Parse(fields[12]));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// CPU time of one process's threads of one name over a window, read often enough to count threads that exit within
    /// it (.NET's background JIT thread idles a few seconds before it exits, and a new one starts for the next work):
    /// each thread counts from its first reading (or from zero, when it started within the window) to its last. The
    /// process tree is read once, at the start: walking all of /proc at every reading would cost more than it measures.
    /// </summary>
    public sealed class ThreadCpu
    {
        private readonly List<int> _processes;
        private readonly string _threadName;
        private readonly Dictionary<string, double> _first;
        private readonly Dictionary<string, double> _last = [];

        public ThreadCpu(int pid, string threadName)
        {
            _processes = Tree(pid).ToList();
            _threadName = threadName;
            _first = ThreadCpuSeconds(_processes, threadName);
        }

        public void Read()
        {
            foreach (var (thread, seconds) in ThreadCpuSeconds(_processes, _threadName))
            {
                _last[thread] = seconds;
            }
        }

        public double Seconds => _last.Sum(thread => thread.Value - _first.GetValueOrDefault(thread.Key));
    }
}
