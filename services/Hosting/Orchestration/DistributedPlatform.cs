using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace LettaPlatform.Hosting.Orchestration;

/// <summary>
/// Runs a topology: starts each resource once what it waits for is healthy, watches health,
/// restarts crashed processes with exponential backoff, keeps every resource's log lines, and
/// stops everything (dependents first) on dispose.
/// </summary>
public sealed class DistributedPlatform : IAsyncDisposable
{
    private readonly PlatformOptions options;
    private readonly IReadOnlyList<Resource> resources;
    private readonly ConcurrentDictionary<string, ResourceSnapshot> snapshots = new();
    private readonly Dictionary<Resource, TaskCompletionSource> healthy = [];
    private readonly Dictionary<Resource, StreamWriter> logFiles = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> supervisors = [];
    private readonly SemaphoreSlim stopGate = new(1, 1);
    private bool stopped;

    internal DistributedPlatform(PlatformOptions options, IReadOnlyList<Resource> resources)
    {
        this.options = options;
        this.resources = resources;
        Directory.CreateDirectory(options.LogDirectory);
        foreach (var resource in resources)
        {
            healthy[resource] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            logFiles[resource] = new StreamWriter(Path.Combine(options.LogDirectory, $"{resource.Name}.log"), append: false) { AutoFlush = true };
            snapshots[resource.Name] = new ResourceSnapshot(resource.Name, resource.Kind, ResourceState.Waiting, resource.DisplayUrl, 0, null);
        }
    }

    /// <summary>Raised on every state change, from any thread.</summary>
    public event Action<ResourceSnapshot>? StateChanged;

    /// <summary>Raised for every line a resource writes (resource name, line), from any thread.</summary>
    public event Action<string, string>? LogReceived;

    public PlatformOptions Options => options;

    /// <summary>Print every connection string once healthy (the <c>infra</c> command does; passwords included).</summary>
    public bool ShowConnectionStrings { get; set; }

    public IReadOnlyList<Resource> Resources => resources;

    public IReadOnlyList<ResourceSnapshot> Snapshots => [.. resources.Select(resource => snapshots[resource.Name])];

    public Resource this[string name] => resources.Single(resource => resource.Name == name);

    /// <summary>Starts everything and returns once every resource has been healthy (or throws when one cannot start).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (options.BuildProjects && ProjectsToRun().Any())
        {
            await BuildProjectsAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var resource in resources)
        {
            supervisors.Add(Task.Run(() => SuperviseAsync(resource), CancellationToken.None));
        }

        await WaitForHealthyAsync(resources, cancellationToken).ConfigureAwait(false);
        if (options.StateFile is { } stateFile)
        {
            var state = resources.Select(resource => new
            {
                resource.Name,
                resource.Kind,
                Url = resource is ExecutableResource { HttpPort: not null } executable && resource is not LettaResource { IsExternal: true }
                    ? executable.Url.ToString().TrimEnd('/')
                    : resource.DisplayUrl,
                ConnectionString = (resource as IResourceWithConnectionString)?.ConnectionString,
            });
            var temporary = stateFile + ".tmp";
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(new { Resources = state }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, stateFile, overwrite: true);
        }
    }

    public Task WaitForHealthyAsync(string name, CancellationToken cancellationToken = default) =>
        WaitForHealthyAsync([this[name]], cancellationToken);

    /// <summary>Starts the platform, then runs until Ctrl+C, SIGTERM or <paramref name="cancellationToken"/>; then stops everything.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        await using var dashboard = ConsoleDashboard.Attach(this);
        try
        {
            await StartAsync(shutdown.Token).ConfigureAwait(false);
            dashboard.ShowReady();
            await Task.Delay(Timeout.Infinite, shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            dashboard.ShowStopping();
        }
        catch (InvalidOperationException exception)
        {
            // A server that cannot start or a failed build: say why, stop the rest, exit non-zero.
            dashboard.ShowError(exception.Message);
            Environment.ExitCode = 1;
        }
        finally
        {
            await StopAsync().ConfigureAwait(false);
        }

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.Cancel();
        }
    }

    /// <summary>Stops every resource, each after the resources that wait for it.</summary>
    public async Task StopAsync()
    {
        await stopGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (stopped)
            {
                return;
            }

            stopped = true;
            if (options.StateFile is { } stateFile)
            {
                File.Delete(stateFile);
            }

            await stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(supervisors).ConfigureAwait(false);
            var stops = new Dictionary<Resource, Task>();
            Task StopInOrder(Resource resource)
            {
                if (!stops.TryGetValue(resource, out var stop))
                {
                    var dependents = resources.Where(other => other.WaitsFor.Contains(resource)).Select(StopInOrder).ToList();
                    stop = StopOneAsync(resource, dependents);
                    stops[resource] = stop;
                }

                return stop;
            }

            await Task.WhenAll(resources.Select(StopInOrder)).ConfigureAwait(false);
        }
        finally
        {
            stopGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        foreach (var file in logFiles.Values)
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    private async Task StopOneAsync(Resource resource, IReadOnlyList<Task> dependents)
    {
        await Task.WhenAll(dependents).ConfigureAwait(false);
        var state = snapshots[resource.Name].State;
        if (state is ResourceState.Waiting)
        {
            Update(resource, ResourceState.Stopped);
            return;
        }

        Update(resource, ResourceState.Stopping);
        try
        {
            await resource.StopAsync().ConfigureAwait(false);
            Update(resource, ResourceState.Stopped);
        }
        catch (Exception exception)
        {
            Log(resource, $"stop failed: {exception.Message}");
            Update(resource, ResourceState.Failed, exception.Message);
        }
    }

    private async Task WaitForHealthyAsync(IEnumerable<Resource> targets, CancellationToken cancellationToken)
    {
        var waits = targets.Select(resource => healthy[resource].Task).ToList();
        await Task.WhenAll(waits).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task SuperviseAsync(Resource resource)
    {
        var token = stopping.Token;
        try
        {
            foreach (var dependency in resource.WaitsFor)
            {
                Update(resource, ResourceState.Waiting, $"waiting for {dependency.Name}");
                await healthy[dependency].Task.WaitAsync(token).ConfigureAwait(false);
            }

            var context = new ResourceContext(options, line => Log(resource, line));
            var consecutiveCrashes = 0;
            while (!token.IsCancellationRequested)
            {
                Update(resource, ResourceState.Starting);
                var startedAt = System.Diagnostics.Stopwatch.StartNew();
                ChildProcess? process;
                try
                {
                    process = await resource.LaunchAsync(context, token).ConfigureAwait(false);
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    Log(resource, $"failed to start: {exception.Message}");
                    if (resource is not ExecutableResource)
                    {
                        // A server that cannot start (port taken, packages missing) will not fix itself.
                        Update(resource, ResourceState.Failed, exception.Message);
                        healthy[resource].TrySetException(new InvalidOperationException($"{resource.Name} failed to start: {exception.Message}", exception));
                        return;
                    }

                    await BackOffAsync(resource, ++consecutiveCrashes, exception.Message, token).ConfigureAwait(false);
                    continue;
                }

                Update(resource, ResourceState.Running, process is null ? null : $"pid {process.Id}");
                DateTime? healthySince = null;
                var exitCode = await WatchAsync(resource, process, startedAt, () => healthySince ??= DateTime.UtcNow, token).ConfigureAwait(false);
                if (token.IsCancellationRequested)
                {
                    return;
                }

                // Only a run that stayed healthy for a while resets the backoff; a process that
                // answers once and then dies is still crash-looping.
                if (DateTime.UtcNow - healthySince >= options.BackoffResetAfter)
                {
                    consecutiveCrashes = 0;
                }

                await resource.StopAsync().ConfigureAwait(false);
                await BackOffAsync(resource, ++consecutiveCrashes, $"exited with code {exitCode}", token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>Checks health until the process exits (returns its exit code) or the platform stops.</summary>
    private async Task<int?> WatchAsync(Resource resource, ChildProcess? process, System.Diagnostics.Stopwatch startedAt, Action onHealthy, CancellationToken token)
    {
        var wasHealthy = false;
        var everHealthy = false;
        while (!token.IsCancellationRequested)
        {
            if (process is { HasExited: true })
            {
                return process.Exited.Result;
            }

            // Until its first healthy answer a starting resource stays Running rather than Unhealthy.
            var isHealthy = await resource.IsHealthyAsync(token).ConfigureAwait(false);
            if (isHealthy != wasHealthy)
            {
                var pid = process is null ? "" : $"pid {process.Id}";
                var detail = isHealthy && !everHealthy ? $"{pid}{(pid.Length > 0 ? ", " : "")}healthy after {startedAt.Elapsed.TotalSeconds:0.0} s" : pid;
                everHealthy |= isHealthy;
                Update(resource, isHealthy ? ResourceState.Healthy : ResourceState.Unhealthy, detail.Length > 0 ? detail : null);
            }

            if (isHealthy)
            {
                onHealthy();
                healthy[resource].TrySetResult();
            }

            wasHealthy = isHealthy;
            var interval = isHealthy ? options.HealthInterval : TimeSpan.FromMilliseconds(250);
            if (process is null)
            {
                await Task.Delay(interval, token).ConfigureAwait(false);
            }
            else
            {
                await Task.WhenAny(process.Exited, Task.Delay(interval, token)).ConfigureAwait(false);
            }
        }

        return null;
    }

    private async Task BackOffAsync(Resource resource, int crashes, string reason, CancellationToken token)
    {
        var delay = TimeSpan.FromTicks(Math.Min(
            options.MaxRestartDelay.Ticks,
            options.FirstRestartDelay.Ticks * (1L << Math.Min(crashes - 1, 20))));
        var restarts = snapshots[resource.Name].Restarts;
        Update(resource, ResourceState.Crashed, reason);
        Log(resource, $"{reason}; restarting in {delay.TotalSeconds:0.#} s");
        Update(resource, ResourceState.Restarting, $"{reason}; retry in {delay.TotalSeconds:0.#} s", restarts + 1);
        await Task.Delay(delay, token).ConfigureAwait(false);
    }

    private async Task BuildProjectsAsync(CancellationToken cancellationToken)
    {
        // One build for every project of the topology: a solution filter of LettaPlatform.sln.
        // Without node reuse no MSBuild worker outlives the build.
        var projects = ProjectsToRun().Select(project => project.ProjectFile).Distinct().ToList();
        var filter = Path.Combine(options.DataDirectory, "platform.slnf");
        await File.WriteAllTextAsync(filter, JsonSerializer.Serialize(new
        {
            solution = new
            {
                path = Path.Combine(options.RepositoryRoot, "LettaPlatform.sln"),
                projects = projects.Select(project => Path.GetRelativePath(options.RepositoryRoot, project)).ToArray(),
            },
        }), cancellationToken).ConfigureAwait(false);

        LogReceived?.Invoke("build", $"dotnet build ({projects.Count} projects, {options.Configuration})");
        var result = await CommandRunner.RunAsync(
            new ProcessSpec("dotnet", ["build", filter, "-c", options.Configuration, "-nologo", "-v", "q", "-clp:NoSummary", "-nodeReuse:false"]) { WorkingDirectory = options.RepositoryRoot },
            TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(options.LogDirectory, "build.log"), result.Output, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"dotnet build failed (exit code {result.ExitCode}):{Environment.NewLine}{result.Output}");
        }
    }

    private IEnumerable<ProjectResource> ProjectsToRun() =>
        resources.OfType<ProjectResource>().Where(project => project is not LettaResource { IsExternal: true });

    private void Log(Resource resource, string line)
    {
        var file = logFiles[resource];
        lock (file)
        {
            file.WriteLine(line);
        }

        LogReceived?.Invoke(resource.Name, line);
    }

    private void Update(Resource resource, ResourceState state, string? detail = null, int? restarts = null)
    {
        var snapshot = snapshots.AddOrUpdate(
            resource.Name,
            _ => throw new InvalidOperationException(),
            (_, current) => current with { State = state, Detail = detail, Restarts = restarts ?? current.Restarts, Url = resource.DisplayUrl });
        StateChanged?.Invoke(snapshot);
    }
}
