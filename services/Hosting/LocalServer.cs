using System.Security.Cryptography;

namespace LettaPlatform.Hosting;

/// <summary>Where and how a local server runs.</summary>
/// <param name="Directory">The server's own folder; created when missing.</param>
/// <param name="Port">The loopback TCP port clients connect to.</param>
public sealed record ServerSettings(string Directory, int Port)
{
    /// <summary>Keep data safely across restarts (the AppHost) or trade durability for speed (tests).</summary>
    public bool Durable { get; init; }

    /// <summary>Receives every line the server writes.</summary>
    public Action<string>? Output { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);
}

/// <summary>A server of this machine's installation, run on 127.0.0.1 in its own folder.</summary>
public abstract class LocalServer : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private int starts;

    protected LocalServer(InfrastructureBinaries binaries, ServerSettings settings)
    {
        Binaries = binaries;
        Settings = settings with { Directory = Path.GetFullPath(settings.Directory) };
    }

    public abstract string Name { get; }

    public int Port => Settings.Port;

    /// <summary>The connection string in the format Aspire gives to clients.</summary>
    public abstract string ConnectionString { get; }

    public ChildProcess? Process { get; private set; }

    public bool IsRunning => Process is { HasExited: false };

    protected InfrastructureBinaries Binaries { get; }

    protected ServerSettings Settings { get; }

    /// <summary>Starts the server and returns once it answers its protocol.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsRunning)
            {
                return;
            }

            // Checked before the first start only: after a crash the port may linger in TIME_WAIT.
            if (starts++ == 0 && !FreePort.IsFree(Port))
            {
                throw new InvalidOperationException(
                    $"{Name} cannot start: port {Port} on 127.0.0.1 is already in use. Stop what uses it (ss -ltnp 'sport = :{Port}') or choose another port.");
            }

            Directory.CreateDirectory(Settings.Directory);
            Process = await LaunchAsync(cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Settings.StartTimeout);
            try
            {
                while (!await IsHealthyAsync(timeout.Token).ConfigureAwait(false))
                {
                    if (Process.HasExited)
                    {
                        throw new InvalidOperationException(
                            $"{Name} exited with code {Process.Exited.Result} while starting; its output is in {Settings.Directory}.");
                    }

                    await Task.Delay(200, timeout.Token).ConfigureAwait(false);
                }

                await OnReadyAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await StopCoreAsync().ConfigureAwait(false);
                throw new TimeoutException($"{Name} did not accept connections on port {Port} within {Settings.StartTimeout.TotalSeconds:0} s.");
            }
            catch
            {
                await StopCoreAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A real protocol exchange with the server, not just an open port.</summary>
    public abstract Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default);

    public async Task StopAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    protected abstract Task<ChildProcess> LaunchAsync(CancellationToken cancellationToken);

    protected virtual Task OnReadyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Asks the running server to stop the way it prefers; the caller kills it if that takes too long.</summary>
    protected abstract Task RequestStopAsync(ChildProcess process);

    protected virtual Task AfterStopAsync() => Task.CompletedTask;

    protected Task<ChildProcess> StartChildAsync(ProcessSpec spec) =>
        ChildProcess.StartAsync(spec with { WorkingDirectory = spec.WorkingDirectory ?? Settings.Directory }, line => Settings.Output?.Invoke(line));

    /// <summary>A secret kept in the server's folder, so a durable server keeps its password across runs.</summary>
    protected string ReadOrCreateSecret(string fileName)
    {
        var path = Path.Combine(Settings.Directory, fileName);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secret;
    }

    private async Task StopCoreAsync()
    {
        if (Process is { } process)
        {
            if (!process.HasExited)
            {
                try
                {
                    await RequestStopAsync(process).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or IOException)
                {
                    Settings.Output?.Invoke($"clean stop failed, killing: {exception.Message}");
                }

                if (!await process.WaitForExitAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false))
                {
                    await process.StopAsync(9, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                }
            }

            await process.DisposeAsync().ConfigureAwait(false);
            Process = null;
        }

        await AfterStopAsync().ConfigureAwait(false);
    }
}
