namespace LettaPlatform.Letta;

/// <summary>One event of a Letta SSE stream, in the order Letta sends them: message chunks, stop reason, usage, <c>[DONE]</c>.</summary>
public abstract record LettaStreamEvent;

/// <summary>A message, or with <c>stream_tokens</c> a fragment of one (fragments share <c>message_type</c> and <c>otid</c>).</summary>
public sealed record LettaMessageEvent(LettaMessage Message) : LettaStreamEvent;

/// <summary>Keep-alive, about every 20 s while a step runs.</summary>
public sealed record LettaPingEvent(string? RunId, int? SeqId) : LettaStreamEvent;

public sealed record LettaStopReasonEvent(string StopReason) : LettaStreamEvent;

public sealed record LettaUsageEvent(LettaUsage Usage) : LettaStreamEvent;

/// <summary>A mid-stream failure (<c>event: error</c>); Letta follows it with <c>[DONE]</c>.</summary>
public sealed record LettaErrorEvent(string? RunId, string? ErrorType, string? Message, string? Detail) : LettaStreamEvent;

/// <summary><c>data: [DONE]</c>: the stream ended normally.</summary>
public sealed record LettaDoneEvent : LettaStreamEvent;
