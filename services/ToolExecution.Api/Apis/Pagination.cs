using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LettaPlatform.ToolExecution.Api.Apis;

/// <summary>A page of a list: the items, and the cursor of the next page (null on the last).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Opaque keyset cursors over (created_at, id), newest first.</summary>
public static class Pagination
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static string Encode(DateTimeOffset createdAt, Guid id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{(createdAt - DateTimeOffset.UnixEpoch).Ticks / 10}:{id:N}"));

    /// <summary>Validates limit and cursor; on failure <paramref name="problem"/> is the 400 to answer with.</summary>
    public static bool TryRead(int? limit, string? cursor, out int pageSize, out (DateTimeOffset CreatedAt, Guid Id)? after, out ValidationProblem? problem)
    {
        pageSize = limit ?? DefaultLimit;
        after = null;
        problem = null;
        var errors = new Dictionary<string, string[]>();
        if (pageSize is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        }

        if (cursor is not null)
        {
            if (TryDecode(cursor, out var decoded))
            {
                after = decoded;
            }
            else
            {
                errors["cursor"] = ["cursor is not a cursor this list returned."];
            }
        }

        if (errors.Count > 0)
        {
            problem = TypedResults.ValidationProblem(errors);
            return false;
        }

        return true;
    }

    private static bool TryDecode(string cursor, out (DateTimeOffset, Guid) value)
    {
        value = default;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], out var micros) && Guid.TryParseExact(parts[1], "N", out var id))
            {
                value = (DateTimeOffset.UnixEpoch.AddTicks(micros * 10), id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
