namespace LettaPlatform.MemorySync.Api.Services;

public sealed record DiffLine(string Op, string Text);

/// <summary>A line diff from the longest common subsequence of the two texts' lines.</summary>
public static class LineDiff
{
    public const string Equal = "equal";
    public const string Add = "add";
    public const string Remove = "remove";

    // The LCS table is quadratic; beyond this many cells the middle is shown as replaced wholesale.
    private const long MaxCells = 4_000_000;

    public static IReadOnlyList<DiffLine> Compute(string from, string to)
    {
        var a = from.Split('\n');
        var b = to.Split('\n');

        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var result = new List<DiffLine>(a.Length + b.Length);
        result.AddRange(a.Take(prefix).Select(line => new DiffLine(Equal, line)));
        Middle(a[prefix..(a.Length - suffix)], b[prefix..(b.Length - suffix)], result);
        result.AddRange(a.Skip(a.Length - suffix).Select(line => new DiffLine(Equal, line)));
        return result;
    }

    private static void Middle(string[] a, string[] b, List<DiffLine> result)
    {
        if ((long)a.Length * b.Length > MaxCells)
        {
            result.AddRange(a.Select(line => new DiffLine(Remove, line)));
            result.AddRange(b.Select(line => new DiffLine(Add, line)));
            return;
        }

        // lcs[i, j] = length of the LCS of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                result.Add(new DiffLine(Equal, a[x]));
                x++;
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                result.Add(new DiffLine(Remove, a[x++]));
            }
            else
            {
                result.Add(new DiffLine(Add, b[y++]));
            }
        }

        result.AddRange(a.Skip(x).Select(line => new DiffLine(Remove, line)));
        result.AddRange(b.Skip(y).Select(line => new DiffLine(Add, line)));
    }
}
