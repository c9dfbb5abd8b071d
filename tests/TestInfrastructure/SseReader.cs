using System.Text;

namespace LettaPlatform.TestInfrastructure;

/// <summary>One server-sent event as it is on the wire: its <c>id:</c>, <c>event:</c> and (joined) <c>data:</c> lines.</summary>
public sealed record SseFrame(string? Id, string? Event, string Data);

/// <summary>
/// The one reader of server-sent events for every test project (chat-api's streams, LettaDev's, Letta-shaped
/// ones): whole texts, or the next event of an open stream. Comments (<c>:</c> keep-alives) are skipped;
/// a block without <c>data:</c> is not an event.
/// </summary>
public static class SseReader
{
    public static List<SseFrame> Parse(string text)
    {
        var frames = new List<SseFrame>();
        foreach (var block in text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            if (ParseBlock(block) is { } frame)
            {
                frames.Add(frame);
            }
        }

        return frames;
    }

    public static SseFrame? ParseBlock(string block)
    {
        string? id = null;
        string? name = null;
        StringBuilder? data = null;
        foreach (var line in block.Split('\n'))
        {
            if (line.StartsWith("id:", StringComparison.Ordinal)) id = Value(line, 3);
            else if (line.StartsWith("event:", StringComparison.Ordinal)) name = Value(line, 6);
            else if (line.StartsWith("data:", StringComparison.Ordinal)) (data ??= new StringBuilder()).Append(data.Length > 0 ? "\n" : "").Append(Value(line, 5));
        }

        return data is null ? null : new SseFrame(id, name, data.ToString());
    }

    /// <summary>The next event of an open stream, or null at its end.</summary>
    public static async Task<SseFrame?> ReadFrameAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var block = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                block.Append(line).Append('\n');
                continue;
            }

            if (ParseBlock(block.ToString()) is { } frame)
            {
                return frame;
            }

            block.Clear();
        }

        return block.Length > 0 ? ParseBlock(block.ToString()) : null;
    }

    // The SSE rule: one space after the colon is not part of the value.
    private static string Value(string line, int colon) => line.Length > colon && line[colon] == ' ' ? line[(colon + 1)..] : line[colon..];
}
