namespace LettaPlatform.Chat.Api.Model;

/// <summary>An admin's switch of verbose capture for one session, on until <see cref="EnabledUntil"/>.</summary>
public sealed class DebugCaptureSwitch
{
    public required Guid SessionId { get; init; }
    public required DateTimeOffset EnabledUntil { get; set; }
    public required string EnabledBy { get; set; }
    public required DateTimeOffset EnabledAt { get; set; }
}

/// <summary>One captured moment of a debugged session's turn, secrets already redacted.</summary>
public sealed class DebugCaptureEntry
{
    public long Sequence { get; init; }
    public required Guid SessionId { get; init; }
    public Guid? TurnId { get; init; }
    public string? TraceId { get; init; }

    /// <summary><c>turn</c>, <c>letta_request</c>, <c>letta_response</c>, <c>tool_call</c>.</summary>
    public required string Kind { get; init; }
    public required string Name { get; init; }

    /// <summary>What was captured (JSON), redacted.</summary>
    public required string Data { get; init; }
    public double? ElapsedMs { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
