using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Engine;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Apis;

/// <summary>Sending messages (agents and conversations), history, runs, resume and cancel.</summary>
public static class MessagesApi
{
    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        var agents = app.MapGroup("/v1/agents/{agent_id}").WithTags("Messages");
        agents.MapPost("/messages", SendAgentMessage).WithName("SendMessage")
            .WithSummary("Send a message to an agent")
            .WithDescription("Runs a turn of the deterministic model with `input` or `messages` (user messages, approvals, tool returns) and answers "
                + "the produced messages with `stop_reason` and usage; with `streaming: true`, as server-sent events. 409 while another "
                + "turn runs on the agent or an approval is pending.");
        agents.MapPost("/messages/stream", SendAgentMessageStream).WithName("CreateAgentMessageStream")
            .WithSummary("Send a message and stream the reply (deprecated)")
            .WithDescription("Like `POST …/messages` with `streaming: true`: always server-sent events.");
        agents.MapPost("/messages/async", SendAgentMessageAsync).WithName("CreateAgentMessageAsync")
            .WithSummary("Send a message in the background")
            .WithDescription("Starts the turn and answers its run at once; poll `GET /v1/runs/{run_id}` for the outcome.");
        agents.MapGet("/messages", ListAgentMessages).WithName("ListMessages")
            .WithSummary("List an agent's messages")
            .WithDescription("The agent's main thread, or `conversation_id`'s; paged with `before`, `after`, `limit` and `order` (default `desc`), "
                + "optionally only `include_return_message_types`.");
        agents.MapPost("/messages/cancel", CancelAgentRuns).WithName("CancelMessage")
            .WithSummary("Cancel an agent's running turns")
            .WithDescription("Stops the running turns (or only `run_ids`) with `stop_reason: cancelled` and clears a pending approval. 409 when "
                + "nothing runs.");

        var runs = app.MapGroup("/v1/runs").WithTags("Runs");
        runs.MapGet("/{run_id}", GetRun).WithName("RetrieveRun")
            .WithSummary("Get a run")
            .WithDescription("A turn's status, stop reason and usage.");
        runs.MapGet("/{run_id}/messages", ListRunMessages).WithName("ListMessagesForRun")
            .WithSummary("List a run's messages")
            .WithDescription("Paged with `before`, `after`, `limit` and `order` (default `asc`).");
        runs.MapPost("/{run_id}/stream", StreamRun).WithName("RetrieveStreamForRun")
            .WithSummary("Resume a run's stream")
            .WithDescription("Replays the run's frames after `starting_after`, then follows it live; every run can be resumed, as if started with "
                + "`background`.");

        var conversations = app.MapGroup("/v1/conversations").WithTags("Conversations");
        conversations.MapPost("/", CreateConversation).WithName("CreateConversation")
            .WithSummary("Create a conversation")
            .WithDescription("A separate message thread of the agent `agent_id`.");
        conversations.MapGet("/", ListConversations).WithName("ListConversations")
            .WithSummary("List conversations")
            .WithDescription("Optionally of one `agent_id`; paged with `before`, `after`, `limit` and `order` (default `desc`).");
        conversations.MapGet("/{conversation_id}", GetConversation).WithName("RetrieveConversation")
            .WithSummary("Get a conversation")
            .WithDescription("404 for an unknown id.");
        conversations.MapPatch("/{conversation_id}", UpdateConversation).WithName("UpdateConversation")
            .WithSummary("Change a conversation")
            .WithDescription("Sparse: only the fields sent change.");
        conversations.MapDelete("/{conversation_id}", DeleteConversation).WithName("DeleteConversation")
            .WithSummary("Delete a conversation")
            .WithDescription("Deletes the thread; the agent stays.");
        conversations.MapPost("/{conversation_id}/messages", SendConversationMessage).WithName("SendConversationMessage")
            .WithSummary("Send a message in a conversation")
            .WithDescription("Like sending to the agent, in this thread (`default` with `agent_id` is the agent's main thread); streams unless "
                + "`streaming` is false.");
        conversations.MapGet("/{conversation_id}/messages", ListConversationMessages).WithName("ListConversationMessages")
            .WithSummary("List a conversation's messages")
            .WithDescription("Paged with `before`, `after`, `limit` and `order` (default `desc`).");
        conversations.MapPost("/{conversation_id}/stream", StreamConversation).WithName("RetrieveConversationStream")
            .WithSummary("Resume a conversation's stream")
            .WithDescription("Replays the frames of the thread's latest run after `starting_after`, then follows it live. 400 when the thread has no "
                + "run.");
        conversations.MapPost("/{conversation_id}/cancel", CancelConversation).WithName("CancelConversation")
            .WithSummary("Cancel a conversation's running turns")
            .WithDescription("Stops the thread's running turns with `stop_reason: cancelled`. 409 when nothing runs.");
        return app;
    }

    public static Task SendAgentMessage(string agent_id, JsonObject body, HttpContext context, TurnRunner runner, RunStreams streams) =>
        Send(context, runner, streams, body, agent_id, null, body.Bool("streaming") ?? false);

    public static Task SendAgentMessageStream(string agent_id, JsonObject body, HttpContext context, TurnRunner runner, RunStreams streams) =>
        Send(context, runner, streams, body, agent_id, null, streaming: true);

    public static Task SendConversationMessage(string conversation_id, JsonObject body, HttpContext context, TurnRunner runner, RunStreams streams) =>
        Send(context, runner, streams, body, body.Str("agent_id") ?? context.Request.Query["agent_id"].FirstOrDefault(), conversation_id,
            body.Bool("streaming") ?? true);

    /// <summary>Starts the turn and answers with its Run at once; poll <c>/v1/runs/{id}</c> for the outcome.</summary>
    public static Ok<JsonObject> SendAgentMessageAsync(string agent_id, JsonObject body, TurnRunner runner) =>
        TypedResults.Ok(runner.Start(new TurnRequest(agent_id, null, body, StreamTokens: false, Background: true)).View());

    private static async Task Send(HttpContext context, TurnRunner runner, RunStreams streams, JsonObject body, string? agentId,
        string? conversationId, bool streaming)
    {
        var streamTokens = body.Bool("stream_tokens") ?? false;
        var background = body.Bool("background") ?? false;
        if (!streaming && (streamTokens || background))
        {
            throw LettaException.Invalid("stream_tokens and background are streaming-only options: send them with streaming=true");
        }
        var types = MessageTypes(body.Strings("include_return_message_types"));
        var run = runner.Start(new TurnRequest(agentId, conversationId, body, streamTokens, background));
        if (streaming)
        {
            await streams.StreamAsync(context, run, 0, body.Bool("include_pings") ?? true, types);
            return;
        }
        var response = await streams.ResponseAsync(run, types, context.RequestAborted);
        await TypedResults.Json(response).ExecuteAsync(context);
    }

    private static HashSet<string>? MessageTypes(IEnumerable<string>? types) => types is null ? null : [.. types];

    public static Ok<IReadOnlyList<JsonObject>> ListAgentMessages(string agent_id, string? conversation_id, HttpRequest request, ConversationStore conversations) =>
        TypedResults.Ok(History(conversations, agent_id, conversation_id, request));

    public static Ok<IReadOnlyList<JsonObject>> ListConversationMessages(string conversation_id, string? agent_id, HttpRequest request, ConversationStore conversations) =>
        TypedResults.Ok(History(conversations, agent_id, conversation_id, request));

    private static IReadOnlyList<JsonObject> History(ConversationStore conversations, string? agentId, string? conversationId, HttpRequest request)
    {
        var page = PageQuery.From(request, 100, "desc");
        var types = MessageTypes(Query.Many(request, "include_return_message_types"));
        return conversations.Resolve(agentId, conversationId).Thread.ListMessages(page, types);
    }

    public static Ok<JsonObject> CancelAgentRuns(string agent_id, JsonObject? body, AgentStore agents, RunStore runs)
    {
        agents.Require(agent_id);
        var only = body?.Strings("run_ids");
        return TypedResults.Ok(Cancel(runs.Active(agent_id).Where(r => only is null || only.Contains(r.Id))));
    }

    public static Ok<JsonObject> CancelConversation(string conversation_id, string? agent_id, ConversationStore conversations, RunStore runs)
    {
        var agentId = conversations.Resolve(agent_id, conversation_id).AgentId;
        var conversationId = conversation_id == "default" ? null : conversation_id;
        return TypedResults.Ok(Cancel(runs.Active(agentId).Where(r => r.ConversationId == conversationId)));
    }

    private static JsonObject Cancel(IEnumerable<RunEntity> runs)
    {
        var result = new JsonObject();
        foreach (var run in runs.ToList())
        {
            run.Cancellation.Cancel();
            result[run.Id] = "cancelled";
        }
        if (result.Count == 0)
        {
            throw new LettaException(StatusCodes.Status409Conflict, "No active runs to cancel");
        }
        return result;
    }

    public static Ok<JsonObject> GetRun(string run_id, RunStore runs) => TypedResults.Ok(runs.Get(run_id).View());

    public static Ok<IReadOnlyList<JsonObject>> ListRunMessages(string run_id, HttpRequest request, RunStore runs) =>
        TypedResults.Ok(runs.Get(run_id).ListMessages(PageQuery.From(request, 100, "asc")));

    public static async Task StreamRun(string run_id, JsonObject? body, HttpContext context, RunStore runs, RunStreams streams)
    {
        var run = runs.Get(run_id);
        await streams.StreamAsync(context, run, body?.Int("starting_after") ?? 0, body?.Bool("include_pings") ?? true, null);
    }

    public static async Task StreamConversation(string conversation_id, JsonObject? body, HttpContext context, ConversationStore conversations, RunStreams streams)
    {
        var target = conversations.Resolve(body?.Str("agent_id") ?? context.Request.Query["agent_id"].FirstOrDefault(), conversation_id);
        var run = target.Thread.LastRun ?? throw LettaException.BadRequest("No run to stream for this conversation");
        await streams.StreamAsync(context, run, body?.Int("starting_after") ?? 0, body?.Bool("include_pings") ?? true, null);
    }

    public static Ok<JsonObject> CreateConversation(string agent_id, JsonObject? body, ConversationStore conversations) =>
        TypedResults.Ok(Views.Conversation(conversations.Create(agent_id, ConversationFields.From(body ?? []))));

    public static Ok<IReadOnlyList<JsonObject>> ListConversations(string? agent_id, HttpRequest request, ConversationStore conversations) =>
        TypedResults.Ok<IReadOnlyList<JsonObject>>([.. conversations.List(agent_id, PageQuery.From(request, 50, "desc")).Select(Views.Conversation)]);

    public static Ok<JsonObject> GetConversation(string conversation_id, ConversationStore conversations) =>
        TypedResults.Ok(Views.Conversation(conversations.Get(conversation_id)));

    public static Ok<JsonObject> UpdateConversation(string conversation_id, JsonObject body, ConversationStore conversations) =>
        TypedResults.Ok(Views.Conversation(conversations.Update(conversation_id, ConversationFields.From(body))));

    public static Ok<JsonObject> DeleteConversation(string conversation_id, ConversationStore conversations)
    {
        conversations.Delete(conversation_id);
        return TypedResults.Ok(new JsonObject { ["message"] = $"Conversation id={conversation_id} successfully deleted" });
    }
}
