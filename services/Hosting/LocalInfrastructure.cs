using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LettaPlatform.Hosting;

/// <summary>
/// What the local servers share: the data folder (<c>DataDirectory</c>, default <c>.data</c> beside the
/// AppHost's folder), durability (<c>LocalInfrastructure:Durable</c>, default true; tests trade it for
/// speed) and ports (<c>Ports:&lt;name&gt;</c>, else a stable default; every port free when Aspire
/// randomizes ports, as Aspire.Hosting.Testing does).
/// </summary>
public static class LocalInfrastructure
{
    /// <summary>The data folder of this AppHost run.</summary>
    public static string DataDirectory(this IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(builder.Configuration["DataDirectory"] ?? Path.Combine(builder.AppHostDirectory, "..", ".data"));

    internal static bool Durable(this IDistributedApplicationBuilder builder) =>
        builder.Configuration.GetValue("LocalInfrastructure:Durable", true);

    /// <summary>
    /// The loopback port of a server: <c>Ports:&lt;name&gt;</c>, a free one when Aspire randomizes ports
    /// (<c>DcpPublisher:RandomizePorts</c>), else <paramref name="stable"/>.
    /// </summary>
    public static int PortFor(this IDistributedApplicationBuilder builder, string name, int stable) =>
        builder.Configuration.GetValue<int?>($"Ports:{name}")
        ?? (builder.Configuration.GetValue("DcpPublisher:RandomizePorts", false) ? FreePort.Next() : stable);

    /// <summary>A secret kept in the data folder, so a server keeps its password across runs.</summary>
    public static string Secret(this IDistributedApplicationBuilder builder, string relativePath, int bytes = 16)
    {
        var path = Path.Combine(builder.DataDirectory(), relativePath);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secret;
    }

    /// <summary>
    /// Adds a native server: <paramref name="binary"/> run as <paramref name="account"/> when the AppHost is
    /// root (through setpriv, which execs, so DCP's stop signal reaches the server itself), its folder
    /// prepared and the Debian packages installed before it starts (or, when not root, the exact
    /// <c>apt-get install</c> command in its log and a failed start). A server that writes its ordinary
    /// log to standard error (PostgreSQL) is started through <c>sh -c 'exec … 2&gt;&amp;1'</c>, so the
    /// dashboard shows its lines as output, not errors (give the same flag to <see cref="Command"/>).
    /// </summary>
    internal static IResourceBuilder<T> AddServer<T>(
        IDistributedApplicationBuilder builder,
        T resource,
        string account,
        Func<InfrastructureBinaries, string> binary,
        Func<BeforeResourceStartedEvent, InfrastructureBinaries, ILogger, CancellationToken, Task>? prepare = null,
        bool logsOnStandardError = false,
        bool interruptOnStop = false)
        where T : ExecutableResource
    {
        if (interruptOnStop && !logsOnStandardError)
        {
            throw new ArgumentException("A server stopped by SIGINT runs under the log-redirecting shell: pass logsOnStandardError too.", nameof(interruptOnStop));
        }

        Directory.CreateDirectory(resource.WorkingDirectory);
        var user = ServiceAccount.For(account);
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (@event, cancellationToken) =>
        {
            var log = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            var binaries = await InfrastructureBinaries.LocateAsync(line => log.LogInformation("{Line}", line), cancellationToken).ConfigureAwait(false);
            await ServiceAccount.PrepareFoldersAsync(user, resource.WorkingDirectory).ConfigureAwait(false);
            if (prepare is not null)
            {
                await prepare(@event, binaries, log, cancellationToken).ConfigureAwait(false);
            }
        });

        var server = builder.AddResource(resource).ExcludeFromManifest();
        return user is null && !logsOnStandardError
            ? server
            // Evaluated after the packages are installed (BeforeResourceStartedEvent comes first).
            : server.WithArgs(context =>
            {
                var binaries = InfrastructureBinaries.TryLocate() ?? throw new InvalidOperationException(InfrastructureBinaries.MissingMessage);
                if (user is not null)
                {
                    context.Args.Add($"--reuid={user}");
                    context.Args.Add($"--regid={user}");
                    context.Args.Add("--init-groups");
                    context.Args.Add("--");
                    if (logsOnStandardError)
                    {
                        context.Args.Add(Shell);
                    }
                }

                if (logsOnStandardError)
                {
                    context.Args.Add("-c");
                    context.Args.Add(interruptOnStop ? InterruptOnStopScript : "exec \"$0\" \"$@\" 2>&1");
                }

                context.Args.Add(binary(binaries));
            });
    }

    private const string Shell = "/bin/sh";

    // $0 is the server, "$@" its arguments. With exec, one process and signals reach the server itself.
    // The other form keeps the shell as the process DCP stops: its SIGTERM becomes SIGINT to the server
    // (PostgreSQL's fast shutdown: SIGTERM is its smart shutdown, which waits for every pooled client
    // connection to close, so a Stop with services connected never ends). A trapped signal interrupts
    // wait, hence the loop until the server has really exited.
    private const string InterruptOnStopScript =
        "trap 'kill -INT \"$server\" 2>/dev/null' TERM INT; " +
        "\"$0\" \"$@\" 2>&1 & server=$!; " +
        "status=0; while kill -0 \"$server\" 2>/dev/null; do wait \"$server\"; status=$?; done; exit $status";

    /// <summary>The program DCP starts for a server run as <paramref name="account"/>.</summary>
    internal static string Command(string account, Func<InfrastructureBinaries, string> binary, string fallback, bool logsOnStandardError = false) =>
        ServiceAccount.For(account) is not null
            ? ChildProcess.Which("setpriv") ?? "/usr/bin/setpriv"
            : logsOnStandardError
                ? Shell
                : InfrastructureBinaries.TryLocate() is { } found ? binary(found) : fallback;
}
