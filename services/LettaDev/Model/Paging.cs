namespace LettaPlatform.LettaDev.Model;

public sealed record PageQuery(string? Before, string? After, int? Limit, string? Order)
{
    public static PageQuery From(HttpRequest request, int defaultLimit, string defaultOrder)
    {
        var query = request.Query;
        int? limit = null;
        if (query.TryGetValue("limit", out var raw) && !string.IsNullOrEmpty(raw))
        {
            limit = int.TryParse(raw, out var parsed) && parsed >= 0
                ? parsed
                : throw LettaException.Invalid("query.limit: Input should be a valid integer");
        }
        var order = query["order"].FirstOrDefault() ?? defaultOrder;
        if (order is not ("asc" or "desc"))
        {
            throw LettaException.Invalid("query.order: Input should be 'asc' or 'desc'");
        }
        return new PageQuery(NullIfEmpty(query["before"]), NullIfEmpty(query["after"]), limit ?? defaultLimit, order);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>
    /// Cursors follow the requested order (docs/letta-notes.md §3): <c>after</c> moves forward in that order, <c>before</c> backward.
    /// An unknown cursor yields an empty page rather than the whole list.
    /// </summary>
    public IReadOnlyList<T> Apply<T>(IEnumerable<T> oldestFirst, Func<T, string> id)
    {
        var items = Order == "desc" ? oldestFirst.Reverse().ToList() : oldestFirst.ToList();
        var start = 0;
        var end = items.Count;
        if (After is not null)
        {
            var index = items.FindIndex(i => id(i) == After);
            if (index < 0)
            {
                return [];
            }
            start = index + 1;
        }
        if (Before is not null)
        {
            var index = items.FindIndex(i => id(i) == Before);
            if (index < 0)
            {
                return [];
            }
            end = index;
        }
        if (end <= start)
        {
            return [];
        }
        var window = items.GetRange(start, end - start);
        // With only `before`, the page is the one just before the cursor, still in the requested order.
        if (Before is not null && After is null && Limit is { } beforeLimit && window.Count > beforeLimit)
        {
            return window.GetRange(window.Count - beforeLimit, beforeLimit);
        }
        return Limit is { } limit ? window.Take(limit).ToList() : window;
    }
}
