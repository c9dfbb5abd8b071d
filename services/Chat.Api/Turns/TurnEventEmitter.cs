using System.Text.Json.Nodes;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Problems;
using StackExchange.Redis;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>
/// Hands a turn's events to its caller, buffering each in the <see cref="TurnEventStore"/> first for
/// resuming clients. The buffer is a convenience: once it fails (Redis lost) the turn goes on without it,
/// so the answer of a turn whose outcome is saved is never turned into an error; only resuming on /stream degrades.
/// </summary>
public sealed partial class TurnEventEmitter(TurnEventStore eventStore, ILogger<TurnEventEmitter> logger)
{
    public Task EmitAsync(TurnState turn, string type, object payload) => EmitAsync(turn, type, ChatEvent.Create(type, payload));

    public async Task EmitAsync(TurnState turn, string type, JsonObject data)
    {
        ChatEvent? chatEvent = null;
        if (!turn.BufferLost)
        {
            try
            {
                chatEvent = await eventStore.AppendAsync(turn.Session.Id, type, data, refreshExpiry: !turn.BufferExpirySet || type == ChatEventTypes.Done);
                turn.BufferExpirySet = true;
            }
            catch (Exception ex) when (ex.IsRedisFailure())
            {
                turn.BufferLost = true;
                LogBufferLost(ex, turn.Session.Id);
            }
        }

        chatEvent ??= new ChatEvent(TurnEventStore.LocalId(++turn.LocalEvents), type, data);
        await turn.Sink.WriteAsync(chatEvent);
    }

    /// <summary>Marks the turn failed and tells its caller why, as problem details in an <c>error</c> event.</summary>
    public Task EmitErrorAsync(TurnState turn, string code, string title, string detail, int status)
    {
        turn.Status = TurnStatus.Failed;
        turn.ErrorCode = code;
        return EmitAsync(turn, ChatEventTypes.Error, new ErrorData(code, ApiProblem.TypeOf(code), title, status, detail));
    }

    [LoggerMessage(LogLevel.Warning, "The event buffer of session {SessionId} failed; the turn continues without it (resuming on /stream is unavailable)")]
    private partial void LogBufferLost(Exception exception, Guid sessionId);
}
