using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults.Problems;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>
/// Turns one Letta stream into the platform's turn events, each relayed the moment it arrives, and
/// gathers into the <see cref="TurnState"/> what the turn's record needs (history, run ids, usage, stop reason).
/// </summary>
public sealed partial class LettaEventRelay(TurnEventEmitter events, ILogger<LettaEventRelay> logger)
{
    // Letta's own memory tools: their calls are reported in ChatTurnCompleted so memory-sync can attribute the edits.
    private static readonly HashSet<string> MemoryTools =
        ["memory_insert", "memory_replace", "memory_rethink", "memory", "core_memory_append", "core_memory_replace"];

    /// <summary>
    /// Relays one Letta stream; returns the approval requests it ended with (client-tool calls).
    /// <paramref name="start"/> runs before the first event if the turn has not started, and must mark it started.
    /// Until then Letta's failures are thrown as they are, for the caller to answer with a problem;
    /// after that they become an <c>error</c> event and the relay returns no approvals.
    /// </summary>
    public async Task<IReadOnlyList<LettaToolCall>> RelayAsync(TurnState turn, IAsyncEnumerable<LettaStreamEvent> stream, Func<Task> start, CancellationToken cancellationToken)
    {
        var approvals = new LettaMessageAssembler();
        var toolCalls = new LettaMessageAssembler();
        string? openToolCallKey = null;
        turn.StopReason = null;

        await using var enumerator = stream.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool hasNext;
            try
            {
                hasNext = await enumerator.MoveNextAsync();
            }
            catch (LettaException ex) when (turn.Started)
            {
                LogLettaStreamFailed(ex, turn.Session.Id);
                await FlushToolCallAsync(turn, toolCalls, openToolCallKey);
                await events.EmitErrorAsync(turn, ApiProblems.LettaError.Code, "The agent runtime failed", ex.Detail ?? ex.Message, 502);
                return [];
            }

            if (!hasNext)
            {
                break;
            }

            if (!turn.Started)
            {
                await start();
            }

            var current = enumerator.Current;

            // Token-streamed tool-call arguments arrive in pieces; a call is relayed once it is whole.
            var key = current is LettaMessageEvent { Message: ToolCallMessage toolCallChunk } ? Key(toolCallChunk) : null;
            if (openToolCallKey is not null && key != openToolCallKey)
            {
                await FlushToolCallAsync(turn, toolCalls, openToolCallKey);
                openToolCallKey = null;
            }

            switch (current)
            {
                case LettaMessageEvent { Message: ReasoningMessage reasoning } when !string.IsNullOrEmpty(reasoning.Reasoning):
                    turn.RunId(reasoning.RunId);
                    await events.EmitAsync(turn, ChatEventTypes.Reasoning, new ReasoningData(reasoning.Reasoning));
                    break;
                case LettaMessageEvent { Message: AssistantMessage assistant }:
                    turn.RunId(assistant.RunId);
                    var text = assistant.Content?.Text ?? "";
                    turn.AppendAssistant(Key(assistant), text);
                    await events.EmitAsync(turn, ChatEventTypes.Assistant, new AssistantData(text));
                    break;
                case LettaMessageEvent { Message: ToolCallMessage call }:
                    turn.RunId(call.RunId);
                    toolCalls.Add(call);
                    openToolCallKey = key;
                    break;
                case LettaMessageEvent { Message: ToolReturnMessage toolReturn }:
                    turn.RunId(toolReturn.RunId);
                    // Letta echoes the results this service handed it; each result is relayed once.
                    foreach (var result in toolReturn.Returns.Where(r => turn.ReportedResults.Add(r.ToolCallId ?? "")))
                    {
                        var status = result.Status ?? "success";
                        var output = result.ToolReturn ?? "";
                        turn.ToolMessage(result.ToolCallId)?.Complete(status, output);
                        await events.EmitAsync(turn, ChatEventTypes.ToolResult, new ToolResultData(result.ToolCallId ?? "", status, output));
                    }
                    break;
                case LettaMessageEvent { Message: ApprovalRequestMessage request }:
                    turn.RunId(request.RunId);
                    approvals.Add(request);
                    break;
                case LettaPingEvent:
                    await turn.Sink.KeepAliveAsync();
                    break;
                case LettaStopReasonEvent stop:
                    turn.StopReason = stop.StopReason;
                    break;
                case LettaUsageEvent usage:
                    turn.AddUsage(usage.Usage);
                    break;
                case LettaErrorEvent error:
                    await events.EmitErrorAsync(turn, error.ErrorType ?? ApiProblems.LettaError.Code, "The agent runtime reported an error", error.Message ?? error.Detail ?? "Letta reported an error.", 502);
                    break;
                case LettaDoneEvent:
                    break;
            }
        }

        await FlushToolCallAsync(turn, toolCalls, openToolCallKey);
        return [.. approvals.Messages.OfType<ApprovalRequestMessage>().SelectMany(m => m.Calls)];
    }

    private async Task FlushToolCallAsync(TurnState turn, LettaMessageAssembler toolCalls, string? key)
    {
        if (key is null)
        {
            return;
        }

        var message = toolCalls.Messages.OfType<ToolCallMessage>().LastOrDefault(m => Key(m) == key);
        foreach (var call in message?.Calls ?? [])
        {
            var id = call.ToolCallId ?? "";
            var name = call.Name ?? "";
            var arguments = call.Arguments ?? "{}";
            turn.AddToolMessage(id, name, arguments);
            if (MemoryTools.Contains(name))
            {
                turn.MemoryToolCallIds.Add(id);
            }

            await events.EmitAsync(turn, ChatEventTypes.ToolCall, new ToolCallData(id, name, arguments));
        }
    }

    private static string Key(LettaMessage message) => $"{message.MessageType}:{message.Otid ?? message.Id}";

    [LoggerMessage(LogLevel.Warning, "The Letta stream of session {SessionId} failed mid-turn")]
    private partial void LogLettaStreamFailed(Exception exception, Guid sessionId);
}
