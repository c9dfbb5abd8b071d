namespace LettaPlatform.LettaDev.Model;

/// <summary>Letta's identifiers: <c>&lt;prefix&gt;-&lt;uuid4&gt;</c>.</summary>
public static class Ids
{
    public const string Agent = "agent";
    public const string Block = "block";
    public const string Tool = "tool";
    public const string Message = "message";
    public const string Run = "run";
    public const string Step = "step";
    public const string Conversation = "conv";

    public static string New(string prefix) => $"{prefix}-{Guid.NewGuid():D}";

    public static bool IsValid(string prefix, string? id) =>
        id is not null
        && id.Length == prefix.Length + 37
        && id.StartsWith(prefix + "-", StringComparison.Ordinal)
        && Guid.TryParseExact(id.AsSpan(prefix.Length + 1), "D", out _);

    /// <summary>Letta answers a malformed path id with 422, before looking anything up.</summary>
    public static void Require(string prefix, string id, string what)
    {
        if (!IsValid(prefix, id))
        {
            throw new LettaException(StatusCodes.Status422UnprocessableEntity,
                $"{what} id '{id}' is not a valid id: expected '{prefix}-' followed by a UUID");
        }
    }
}
