using System.Runtime.InteropServices;

namespace LettaPlatform.Hosting;

/// <summary>
/// PostgreSQL refuses to run as root and RabbitMQ should not, so when this process is root the
/// servers run as the accounts the Debian packages create, owning their data folders.
/// </summary>
public static class ServiceAccount
{
    public static bool IsRoot { get; } = NativeMethods.geteuid() == 0;

    /// <summary>The account a server runs as: <paramref name="serviceUser"/> when root, else the current user.</summary>
    public static string? For(string serviceUser) => IsRoot ? serviceUser : null;

    /// <summary>Creates the folders and, when root, hands them to <paramref name="user"/>.</summary>
    public static async Task PrepareFoldersAsync(string? user, params string[] folders)
    {
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(folder);
        }

        if (user is null)
        {
            return;
        }

        await CommandRunner.RunCheckedAsync(
            new ProcessSpec("chown", ["-R", $"{user}:{user}", .. folders]) { DieWithOwner = false },
            TimeSpan.FromSeconds(30)).ConfigureAwait(false);

        var probe = await CommandRunner.RunAsync(
            new ProcessSpec("test", ["-w", folders[0]]) { User = user },
            TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (!probe.Succeeded)
        {
            throw new InvalidOperationException(
                $"User '{user}' cannot reach {folders[0]}: a parent folder is closed to other users " +
                "(for instance a repository under /root). Use a data folder elsewhere (--data /var/tmp/lettaplatform) " +
                "or open the parent folders for traversal (chmod o+x).");
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc")]
        public static extern uint geteuid();
    }
}
