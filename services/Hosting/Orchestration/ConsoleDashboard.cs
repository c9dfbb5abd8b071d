using Spectre.Console;
using Spectre.Console.Rendering;

namespace LettaPlatform.Hosting.Orchestration;

/// <summary>
/// Shows a running platform: on a terminal a live table of resources above the latest log lines;
/// otherwise (CI, redirected output) plain prefixed log lines and state changes.
/// </summary>
internal sealed class ConsoleDashboard : IAsyncDisposable
{
    private const int KeptLines = 300;
    private static readonly string[] Palette = ["deepskyblue1", "green3", "orange1", "mediumpurple1", "gold1", "hotpink", "aqua", "salmon1", "chartreuse1", "plum1", "khaki1", "lightskyblue1"];
    private readonly DistributedPlatform platform;
    private readonly bool live;
    private readonly Queue<string> recentLines = new();
    private readonly CancellationTokenSource done = new();
    private readonly Dictionary<string, string> colors;
    private Task liveTask = Task.CompletedTask;

    private ConsoleDashboard(DistributedPlatform platform, bool live)
    {
        this.platform = platform;
        this.live = live;
        colors = platform.Resources.Select((resource, index) => (resource.Name, Palette[index % Palette.Length]))
            .Append(("build", "grey"))
            .ToDictionary(pair => pair.Item1, pair => pair.Item2);
    }

    public static ConsoleDashboard Attach(DistributedPlatform platform)
    {
        var interactive = !Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            && AnsiConsole.Profile.Capabilities.Ansi;
        var dashboard = new ConsoleDashboard(platform, interactive);
        platform.LogReceived += dashboard.OnLog;
        platform.StateChanged += dashboard.OnStateChanged;
        if (interactive)
        {
            dashboard.liveTask = AnsiConsole.Live(dashboard.Render())
                .AutoClear(false)
                .Overflow(VerticalOverflow.Ellipsis)
                .Cropping(VerticalOverflowCropping.Top)
                .StartAsync(async context =>
                {
                    while (!dashboard.done.IsCancellationRequested)
                    {
                        context.UpdateTarget(dashboard.Render());
                        await Task.WhenAny(Task.Delay(250, dashboard.done.Token)).ConfigureAwait(false);
                    }

                    context.UpdateTarget(dashboard.Render());
                });
        }
        else
        {
            Console.WriteLine($"LettaPlatform AppHost — data in {platform.Options.DataDirectory}, logs in {platform.Options.LogDirectory}");
        }

        return dashboard;
    }

    public void ShowReady()
    {
        var lines = platform.Resources
            .Where(resource => resource.DisplayUrl is not null)
            .Select(resource => $"{resource.Name,-22} {resource.DisplayUrl}")
            .Prepend("Every resource is healthy. Press Ctrl+C to stop.")
            .Concat(platform.ShowConnectionStrings
                ? platform.Resources.OfType<IResourceWithConnectionString>().Select(resource => $"ConnectionStrings__{resource.Name}={resource.ConnectionString}")
                : []);
        foreach (var line in lines)
        {
            OnLog("apphost", line);
        }
    }

    public void ShowStopping() => OnLog("apphost", "Stopping every resource…");

    public void ShowError(string message)
    {
        OnLog("apphost", $"Cannot run the platform: {message}");
        OnLog("apphost", "Stopping every resource…");
    }

    public async ValueTask DisposeAsync()
    {
        platform.LogReceived -= OnLog;
        platform.StateChanged -= OnStateChanged;
        await done.CancelAsync().ConfigureAwait(false);
        await liveTask.ConfigureAwait(false);
        done.Dispose();
    }

    private void OnStateChanged(ResourceSnapshot snapshot)
    {
        if (!live)
        {
            var restarts = snapshot.Restarts > 0 ? $" (restarts: {snapshot.Restarts})" : "";
            var detail = snapshot.Detail is null ? "" : $" — {snapshot.Detail}";
            Console.WriteLine($"[{snapshot.Name}] state: {snapshot.State}{detail}{restarts}{(snapshot.State is ResourceState.Healthy && snapshot.Url is not null ? $" at {snapshot.Url}" : "")}");
        }
    }

    private void OnLog(string resource, string line)
    {
        if (!live)
        {
            Console.WriteLine($"[{resource}] {line}");
            return;
        }

        var color = colors.GetValueOrDefault(resource, "white");
        lock (recentLines)
        {
            recentLines.Enqueue($"[{color}]{Markup.Escape(resource),-22}[/] {Markup.Escape(line)}");
            while (recentLines.Count > KeptLines)
            {
                recentLines.Dequeue();
            }
        }
    }

    private IRenderable Render()
    {
        var table = new Table().Border(TableBorder.Rounded).Expand()
            .AddColumn("Resource").AddColumn("Kind").AddColumn("State").AddColumn("URL").AddColumn("Restarts").AddColumn("Detail");
        foreach (var snapshot in platform.Snapshots)
        {
            table.AddRow(
                $"[{colors[snapshot.Name]}]{Markup.Escape(snapshot.Name)}[/]",
                snapshot.Kind,
                StateMarkup(snapshot.State),
                Markup.Escape(snapshot.Url ?? ""),
                snapshot.Restarts.ToString(),
                Markup.Escape(snapshot.Detail ?? ""));
        }

        var available = Math.Max(5, Console.WindowHeight - platform.Resources.Count - 8);
        string[] tail;
        lock (recentLines)
        {
            tail = [.. recentLines.TakeLast(available)];
        }

        return new Rows(table, new Markup(string.Join('\n', tail)));
    }

    private static string StateMarkup(ResourceState state) => state switch
    {
        ResourceState.Healthy => "[green]Healthy[/]",
        ResourceState.Running or ResourceState.Starting => $"[yellow]{state}[/]",
        ResourceState.Unhealthy or ResourceState.Restarting => $"[orange1]{state}[/]",
        ResourceState.Crashed or ResourceState.Failed => $"[red]{state}[/]",
        _ => $"[grey]{state}[/]",
    };
}
