namespace LettaPlatform.Cli.Templates;

/// <summary>A minimal line diff (longest common subsequence): the removed lines as <c>- </c>, the added as <c>+ </c>, in order.</summary>
public static class LineDiff
{
    public static IReadOnlyList<string> Compare(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');

        // common[i, j] = length of the longest common subsequence of a[i..] and b[j..].
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var lines = new List<string>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (y == b.Length || (x < a.Length && common[x + 1, y] >= common[x, y + 1]))
            {
                lines.Add($"- {a[x++]}");
            }
            else
            {
                lines.Add($"+ {b[y++]}");
            }
        }

        return lines;
    }
}
