using System.Globalization;
using System.Net;

namespace LettaPlatform.Hosting.Tests;

/// <summary>Listening TCP sockets as the kernel reports them (/proc/net/tcp, tcp6), to prove a server binds loopback only.</summary>
internal static class Listeners
{
    private const string ListenState = "0A";

    public static Task<IReadOnlyList<string>> ForPortAsync(int port)
    {
        var addresses = new List<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1].Split(':');
                if (fields[3] == ListenState && int.Parse(local[1], NumberStyles.HexNumber) == port)
                {
                    addresses.Add(Format(Decode(local[0])));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<string>>(addresses);
    }

    public static bool ProcessExists(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    // The kernel prints each 32-bit word of the address in host (little-endian) byte order.
    private static IPAddress Decode(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        return new IPAddress(bytes);
    }

    private static string Format(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
