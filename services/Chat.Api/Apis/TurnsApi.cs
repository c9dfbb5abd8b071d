using System.Security.Claims;
using LettaPlatform.Chat.Api.Data;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.Chat.Api.Turns;
using LettaPlatform.ServiceDefaults.Auth;
using LettaPlatform.ServiceDefaults.Caching;
using LettaPlatform.ServiceDefaults.Idempotency;
using LettaPlatform.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LettaPlatform.Chat.Api.Apis;

public static class TurnsApi
{
    private const string EventStream = "text/event-stream";

    private const string TurnRefusals =
        "404 `session_not_found`; 409 `turn_in_progress` while another turn runs on the session, `approval_pending` while a tool call "
        + "waits for an answer, `letta_busy` while Letta still works on an earlier message, `handoff_session` for a hand-off's session "
        + "(it runs only inside the session that asked); 503 `letta_unavailable` or "
        + "`turn_events_unavailable` (with `Retry-After`); 502 `letta_error`. Send `Idempotency-Key` to make a retry safe.";

    public static IEndpointRouteBuilder MapTurnsApi(this IEndpointRouteBuilder endpoints)
    {
        var turns = endpoints.MapGroup("/api/chat/sessions/{id:guid}").WithTags("Turns");

        turns.MapPost("/messages", SendMessage).WithName("SendMessage").WithIdempotency()
            .WithSummary("Send a message and wait for the reply")
            .WithDescription("Runs one turn of the session's agent with the message `content` and answers when it ends: its `status` "
                + "(`completed` or `awaiting_approval`) and every event it produced. " + TurnRefusals);
        turns.MapPost("/messages/stream", StreamMessage).WithName("StreamMessage").WithIdempotency()
            .Produces(StatusCodes.Status200OK, contentType: EventStream).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Send a message and stream the reply")
            .WithDescription("Like `POST …/messages`, but answers with `text/event-stream`: each event as it happens (the reply token by token, "
                + "memory changes as `memory_updated`; a hand-off to another of the person's agents as `handoff_started`, that agent's events "
                + "wrapped in `handoff_event` and `handoff_finished`, all under the `ask_agent` call's `toolCallId`), ending with `done`. Refusals come before the stream starts, as ordinary problem "
                + "answers. " + TurnRefusals);
        turns.MapPost("/approvals", AnswerApproval).WithName("AnswerApproval").WithIdempotency()
            .WithSummary("Approve or deny a tool call and wait for the reply")
            .WithDescription("Answers the pending tool call `toolCallId` (`approve`, with an optional `reason`); the turn resumes and the answer "
                + "is like `POST …/messages`. A call made inside a hand-off waits in the person's own session and is answered there; "
                + "the answer resumes the hand-off, then this session's agent. 404 `pending_approval_not_found` when that call is not waiting in this session. " + TurnRefusals);
        turns.MapPost("/approvals/stream", StreamApproval).WithName("StreamApproval").WithIdempotency()
            .Produces(StatusCodes.Status200OK, contentType: EventStream).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Approve or deny a tool call and stream the reply")
            .WithDescription("Like `POST …/approvals`, but the resumed turn is streamed as `text/event-stream`, like `POST …/messages/stream`. "
                + "404 `pending_approval_not_found` when that call is not waiting in this session. " + TurnRefusals);
        turns.MapGet("/stream", FollowTurn).WithName("FollowTurn")
            .Produces(StatusCodes.Status200OK, contentType: EventStream).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Follow the session's current or last turn")
            .WithDescription("Replays the events of the current (or last) turn after `lastEventId` (query) or the `Last-Event-ID` header, "
                + "then follows the turn live until `done`, from any replica: how a client resumes after a dropped connection. "
                + "204 when the session has no turn to show; 400 for an id that is not an event id; 404 `session_not_found`; "
                + "503 `turn_events_unavailable` (with `Retry-After`) when the event buffer cannot be reached.");
        turns.MapPost("/turns/cancel", CancelTurn).WithName("CancelTurn")
            .WithSummary("Cancel the session's running turn")
            .WithDescription("Stops the turn running in the session, on whichever replica runs it: the wait on Letta ends at once and "
                + "Letta is asked to cancel its run. 200 `{ cancelRequested }` (false when no turn runs; nothing changes); "
                + "404 `session_not_found` for a session that is not yours.");

        return endpoints;
    }

    public static async Task<Results<Ok<TurnResponse>, ValidationProblem, ProblemHttpResult>> SendMessage(
        Guid id, SendMessageRequest request, ClaimsPrincipal user, TurnGate gate, HttpContext http)
    {
        var sink = new CollectingSink();
        try
        {
            var outcome = await gate.SendMessageAsync(user.GetUserId(), id, request.Content!, sink, streamTokens: false);
            return TypedResults.Ok(new TurnResponse(outcome.TurnId, outcome.Status, [.. sink.Events.Select(e => e.ToJson())]));
        }
        catch (ApiProblemException problem)
        {
            return problem.ToResult(http);
        }
    }

    public static async Task<IResult> StreamMessage(
        Guid id, SendMessageRequest request, ClaimsPrincipal user, TurnGate gate, IConnectionMultiplexer redis, IOptions<ChatOptions> options, HttpContext http)
    {
        return await StreamTurnAsync(id, http, redis, options.Value, sink => gate.SendMessageAsync(user.GetUserId(), id, request.Content!, sink, streamTokens: true));
    }

    public static async Task<Results<Ok<TurnResponse>, ValidationProblem, ProblemHttpResult>> AnswerApproval(
        Guid id, ApprovalRequest request, ClaimsPrincipal user, TurnGate gate, HttpContext http)
    {
        var sink = new CollectingSink();
        try
        {
            var outcome = await gate.AnswerApprovalAsync(user.GetUserId(), id, request.ToolCallId!, request.Approve!.Value, request.Reason, sink, streamTokens: false);
            return TypedResults.Ok(new TurnResponse(outcome.TurnId, outcome.Status, [.. sink.Events.Select(e => e.ToJson())]));
        }
        catch (ApiProblemException problem)
        {
            return problem.ToResult(http);
        }
    }

    public static async Task<IResult> StreamApproval(
        Guid id, ApprovalRequest request, ClaimsPrincipal user, TurnGate gate, IConnectionMultiplexer redis, IOptions<ChatOptions> options, HttpContext http)
    {
        return await StreamTurnAsync(id, http, redis, options.Value,
            sink => gate.AnswerApprovalAsync(user.GetUserId(), id, request.ToolCallId!, request.Approve!.Value, request.Reason, sink, streamTokens: true));
    }

    /// <summary>
    /// Stops the turn running in the session, on whichever replica runs it: its stream ends with <c>done</c>
    /// (status <c>cancelled</c>), or, when Letta had not received it yet, its request is answered with
    /// <c>turn_cancelled</c>. Idempotent: with no turn running it changes nothing and says so.
    /// </summary>
    public static async Task<Results<Ok<CancelTurnResponse>, ProblemHttpResult>> CancelTurn(
        Guid id, ClaimsPrincipal user, ChatDbContext db, TurnCancellation cancellation, HttpContext http)
    {
        if (await SessionsApi.FindAsync(db, id, user, http.RequestAborted) is null)
        {
            return ApiProblems.SessionNotFound.Result("There is no such chat session.");
        }

        try
        {
            return TypedResults.Ok(new CancelTurnResponse(await cancellation.RequestAsync(id)));
        }
        catch (Exception ex) when (ex.IsRedisFailure())
        {
            http.Response.Headers.RetryAfter = "5";
            return ApiProblems.TurnEventsUnavailable.Result("The session's running turn cannot be reached right now, so it cannot be cancelled; try again shortly.");
        }
    }

    /// <summary>
    /// Replays the current (or last) turn's events after <c>lastEventId</c> (query) or <c>Last-Event-ID</c>
    /// (header), then follows the turn live until <c>done</c>. 204 when the session has no turn to show.
    /// </summary>
    public static async Task<IResult> FollowTurn(
        Guid id,
        string? lastEventId,
        ClaimsPrincipal user,
        ChatDbContext db,
        TurnEventStore events,
        TurnLock turnLock,
        IConnectionMultiplexer redis,
        IOptions<ChatOptions> options,
        HttpContext http)
    {
        var after = lastEventId ?? http.Request.Headers["Last-Event-ID"].FirstOrDefault();
        if (after is not null && !TurnEventStore.IsValidId(after))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["lastEventId"] = ["Not an event id of this API."] });
        }

        if (await SessionsApi.FindAsync(db, id, user, http.RequestAborted) is null)
        {
            return ApiProblems.SessionNotFound.Result("There is no such chat session.");
        }

        var aborted = http.RequestAborted;
        var wake = new SemaphoreSlim(0);
        var subscriber = redis.GetSubscriber();
        var channel = TurnEventStore.Channel(id);
        Action<RedisChannel, RedisValue> handler = (_, _) => wake.Release();
        try
        {
            if (!await events.ExistsAsync(id))
            {
                return TypedResults.NoContent();
            }

            await subscriber.SubscribeAsync(channel, handler);
        }
        catch (Exception ex) when (ex.IsRedisFailure())
        {
            return BufferUnavailable(http);
        }

        await using var sse = new SseWriter(http.Response, options.Value.KeepAliveInterval);
        try
        {
            await sse.StartAsync();
            while (!aborted.IsCancellationRequested)
            {
                var batch = await events.ReadAfterAsync(id, after);
                foreach (var chatEvent in batch)
                {
                    await sse.WriteAsync(chatEvent);
                    after = chatEvent.Id;
                    if (chatEvent.Type == ChatEventTypes.Done)
                    {
                        return Results.Empty;
                    }
                }

                if (batch.Count > 0)
                {
                    continue;
                }

                // No turn holds the session and nothing is left to read: the turn ended without a done (a crash).
                if (!await turnLock.IsHeldAsync(id) && (await events.ReadAfterAsync(id, after)).Count == 0)
                {
                    return Results.Empty;
                }

                // Woken by the next append on any replica; the timeout covers a missed announcement.
                try
                {
                    await wake.WaitAsync(TimeSpan.FromSeconds(1), aborted);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex.IsRedisFailure() && !sse.IsStarted)
        {
            return BufferUnavailable(http);
        }
        catch (Exception ex) when (ex.IsRedisFailure())
        {
            // The buffer went away mid-replay: end the stream; the turn's result is in the history.
            return Results.Empty;
        }
        finally
        {
            try
            {
                await subscriber.UnsubscribeAsync(channel, handler);
            }
            catch (Exception ex) when (ex.IsRedisFailure())
            {
            }
        }

        return Results.Empty;
    }

    /// <summary>
    /// Runs a turn as an event stream. Until Letta accepts the turn nothing is written, so refusals
    /// (409, 503, …) are ordinary problem answers; after that, every event is flushed as it comes.
    /// Memory changes announced for the session while the turn runs are relayed too.
    /// </summary>
    private static async Task<IResult> StreamTurnAsync(Guid sessionId, HttpContext http, IConnectionMultiplexer redis, ChatOptions options, Func<ITurnSink, Task<TurnOutcome>> run)
    {
        await using var sse = new SseWriter(http.Response, options.KeepAliveInterval);
        var subscriber = redis.GetSubscriber();
        var channel = TurnEventStore.Channel(sessionId);
        Action<RedisChannel, RedisValue> relayMemory = (_, message) =>
        {
            if (sse.IsStarted && TurnEventStore.ParseAnnouncement(message) is { Type: ChatEventTypes.MemoryUpdated } memory)
            {
                sse.WriteAsync(memory).ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        };
        var relaying = await TrySubscribeAsync(subscriber, channel, relayMemory);
        try
        {
            await run(sse);
            return Results.Empty;
        }
        catch (ApiProblemException problem) when (!sse.IsStarted)
        {
            return problem.ToResult(http);
        }
        finally
        {
            if (relaying)
            {
                await TryUnsubscribeAsync(subscriber, channel, relayMemory);
            }
        }
    }

    // Relaying memory changes is a nicety: without Redis the turn still runs and answers.
    private static async Task<bool> TrySubscribeAsync(ISubscriber subscriber, RedisChannel channel, Action<RedisChannel, RedisValue> handler)
    {
        try
        {
            await subscriber.SubscribeAsync(channel, handler);
            return true;
        }
        catch (Exception ex) when (ex.IsRedisFailure())
        {
            return false;
        }
    }

    private static async Task TryUnsubscribeAsync(ISubscriber subscriber, RedisChannel channel, Action<RedisChannel, RedisValue> handler)
    {
        try
        {
            await subscriber.UnsubscribeAsync(channel, handler);
        }
        catch (Exception ex) when (ex.IsRedisFailure())
        {
        }
    }

    private static ProblemHttpResult BufferUnavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "5";
        return ApiProblems.TurnEventsUnavailable.Result(
            "The buffer of this session's turn events cannot be reached, so the turn cannot be followed or replayed right now. Its result is in the history (GET …/messages); try /stream again shortly.");
    }
}
