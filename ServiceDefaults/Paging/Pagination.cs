using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace LettaPlatform.ServiceDefaults.Paging;

/// <summary>A page of a list: the items, and the cursor of the next page (null on the last).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>A validated page request: how many items, and the position to continue after (none on the first page).</summary>
public sealed record PageQuery<TPosition>(int Limit, bool HasPosition, TPosition Position);

/// <summary>
/// The one paging scheme of every list: <c>limit</c> 1–<see cref="MaxLimit"/> (default
/// <see cref="DefaultLimit"/>) and an opaque, URL-safe <c>cursor</c> naming the position in the
/// list's sort key after which the next page starts (base64url of a small JSON document).
/// </summary>
public static class Pagination
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    // A marker inside the cursor, so that a cursor of another list or version is refused rather than misread.
    private const string Version = "c1";

    public static string Encode<TPosition>(TPosition position) =>
        WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(new CursorDocument<TPosition>(Version, position)));

    /// <summary>Validates <paramref name="limit"/> and <paramref name="cursor"/>; on failure <paramref name="problem"/> is the 400 to answer with.</summary>
    public static bool TryRead<TPosition>(int? limit, string? cursor, [NotNullWhen(true)] out PageQuery<TPosition>? query, [NotNullWhen(false)] out ValidationProblem? problem)
    {
        query = null;
        problem = null;
        var errors = new Dictionary<string, string[]>();
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}."];
        }

        TPosition position = default!;
        if (cursor is not null && !TryDecode(cursor, out position))
        {
            errors["cursor"] = ["cursor must be the nextCursor of a previous page of this list; start again without it."];
        }

        if (errors.Count > 0)
        {
            problem = ApiProblems.Validation(errors);
            return false;
        }

        query = new PageQuery<TPosition>(take, cursor is not null, position);
        return true;
    }

    /// <summary>
    /// The page of <paramref name="fetched"/> (read with <c>Take(limit + 1)</c>, so one more item
    /// than the page means a next page exists) and its next cursor.
    /// </summary>
    public static Page<TItem> ToPage<TItem, TPosition>(IReadOnlyList<TItem> fetched, int limit, Func<TItem, TPosition> positionOf)
    {
        var items = fetched.Take(limit).ToList();
        return new Page<TItem>(items, fetched.Count > limit ? Encode(positionOf(items[^1])) : null);
    }

    private static bool TryDecode<TPosition>(string cursor, out TPosition position)
    {
        position = default!;
        if (cursor.Length is 0 or > 512)
        {
            return false;
        }

        try
        {
            var document = JsonSerializer.Deserialize<CursorDocument<TPosition>>(WebEncoders.Base64UrlDecode(cursor));
            if (document is not { V: Version, P: not null })
            {
                return false;
            }

            position = document.P;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or NotSupportedException)
        {
            return false;
        }
    }

    private sealed record CursorDocument<TPosition>(string V, TPosition P);
}

/// <summary>A position in a list sorted by creation time, ties broken by id.</summary>
public readonly record struct TimePosition(DateTimeOffset At, Guid Id);
