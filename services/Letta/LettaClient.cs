using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LettaPlatform.Letta;

internal sealed class LettaClient : ILettaClient
{
    private readonly LettaInstanceOptions _instance;
    private readonly LettaOptions _options;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly Uri _baseUri;

    public LettaClient(string instanceName, LettaInstanceOptions instance, LettaOptions options, IHttpClientFactory httpClientFactory)
    {
        InstanceName = instanceName;
        _instance = instance;
        _options = options;
        _httpClientFactory = httpClientFactory;
        var endpoint = instance.Endpoint!;
        _baseUri = new Uri(endpoint.EndsWith('/') ? endpoint : endpoint + "/");
    }

    public string InstanceName { get; }

    public Task<LettaHealth> GetHealthAsync(CancellationToken cancellationToken = default) =>
        SendAsync<LettaHealth>(HttpMethod.Get, "v1/health/", null, LettaCallKind.Idempotent, cancellationToken);

    public Task<LettaHealth> GetReadinessAsync(CancellationToken cancellationToken = default) =>
        SendAsync<LettaHealth>(HttpMethod.Get, "v1/ready/", null, LettaCallKind.Idempotent, cancellationToken);

    public Task<AgentState> CreateAgentAsync(CreateAgentRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<AgentState>(HttpMethod.Post, "v1/agents/", request, LettaCallKind.Create, cancellationToken);

    public Task<IReadOnlyList<AgentState>> ListAgentsAsync(ListAgentsQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ListAgentsQuery();
        var path = new Query("v1/agents/")
            .Add("name", query.Name)
            .AddAll("tags", query.Tags)
            .Add("match_all_tags", query.MatchAllTags && query.Tags is { Count: > 0 } ? "true" : null)
            .Add("limit", query.Limit)
            .Add("after", query.After)
            .Add("before", query.Before)
            .Add("order", query.Order)
            .AddAll("include", query.Include);
        return SendAsync<IReadOnlyList<AgentState>>(HttpMethod.Get, path.ToString(), null, LettaCallKind.Idempotent, cancellationToken);
    }

    public Task<AgentState> GetAgentAsync(string agentId, IReadOnlyList<string>? include = null, CancellationToken cancellationToken = default) =>
        SendAsync<AgentState>(HttpMethod.Get, new Query($"v1/agents/{Id(agentId)}").AddAll("include", include).ToString(), null, LettaCallKind.Idempotent, cancellationToken);

    public Task<AgentState> ModifyAgentAsync(string agentId, UpdateAgentRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<AgentState>(HttpMethod.Patch, $"v1/agents/{Id(agentId)}", request, LettaCallKind.Idempotent, cancellationToken);

    public Task DeleteAgentAsync(string agentId, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement?>(HttpMethod.Delete, $"v1/agents/{Id(agentId)}", null, LettaCallKind.Idempotent, cancellationToken);

    public async Task<string> ExportAgentAsync(string agentId, ExportAgentOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = new Query($"v1/agents/{Id(agentId)}/export")
            .Add("conversation_id", options?.ConversationId)
            .Add("scrub_messages", options?.ScrubMessages == true ? "true" : null);
        using var request = CreateRequest(HttpMethod.Get, path.ToString(), null, LettaCallKind.Idempotent);
        using var response = await SendRawAsync(request, streaming: false, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);

        // The spec types the body as a string; the server sends the Agent File object. Accept both.
        using var document = JsonDocument.Parse(text);
        return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString()! : text;
    }

    public async Task<ImportedAgents> ImportAgentAsync(string agentFileJson, ImportAgentOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ImportAgentOptions();
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(agentFileJson));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(file, "file", "agent.af");
        void Field(string name, string? value)
        {
            if (value is not null)
            {
                form.Add(new StringContent(value), name);
            }
        }
        Field("name", options.Name);
        Field("model", options.Model);
        Field("embedding", options.Embedding);
        Field("secrets", options.Secrets is null ? null : JsonSerializer.Serialize(options.Secrets, LettaJson.Options));
        Field("strip_messages", options.StripMessages ? "true" : "false");
        Field("override_existing_tools", options.OverrideExistingTools ? "true" : "false");

        using var request = CreateRequest(HttpMethod.Post, "v1/agents/import", form, LettaCallKind.Create);
        using var response = await SendRawAsync(request, streaming: false, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<ImportedAgents>(response, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<LettaBlock>> ListAgentBlocksAsync(string agentId, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<LettaBlock>>(HttpMethod.Get, $"v1/agents/{Id(agentId)}/core-memory/blocks", null, LettaCallKind.Idempotent, cancellationToken);

    public Task<LettaBlock> GetAgentBlockAsync(string agentId, string label, CancellationToken cancellationToken = default) =>
        SendAsync<LettaBlock>(HttpMethod.Get, $"v1/agents/{Id(agentId)}/core-memory/blocks/{Id(label)}", null, LettaCallKind.Idempotent, cancellationToken);

    public Task<LettaBlock> ModifyAgentBlockAsync(string agentId, string label, BlockUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync<LettaBlock>(HttpMethod.Patch, $"v1/agents/{Id(agentId)}/core-memory/blocks/{Id(label)}", update, LettaCallKind.Idempotent, cancellationToken);

    public Task<AgentState> AttachBlockAsync(string agentId, string blockId, CancellationToken cancellationToken = default) =>
        SendAsync<AgentState>(HttpMethod.Patch, $"v1/agents/{Id(agentId)}/core-memory/blocks/attach/{Id(blockId)}", null, LettaCallKind.Idempotent, cancellationToken);

    public Task<AgentState> DetachBlockAsync(string agentId, string blockId, CancellationToken cancellationToken = default) =>
        SendAsync<AgentState>(HttpMethod.Patch, $"v1/agents/{Id(agentId)}/core-memory/blocks/detach/{Id(blockId)}", null, LettaCallKind.Idempotent, cancellationToken);

    public Task<LettaBlock> CreateBlockAsync(CreateBlockRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<LettaBlock>(HttpMethod.Post, "v1/blocks/", request, LettaCallKind.Create, cancellationToken);

    public Task<LettaBlock> GetBlockAsync(string blockId, CancellationToken cancellationToken = default) =>
        SendAsync<LettaBlock>(HttpMethod.Get, $"v1/blocks/{Id(blockId)}", null, LettaCallKind.Idempotent, cancellationToken);

    public Task<IReadOnlyList<LettaBlock>> ListBlocksAsync(ListBlocksQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ListBlocksQuery();
        var path = new Query("v1/blocks/")
            .Add("label", query.Label)
            .AddAll("tags", query.Tags)
            .Add("match_all_tags", query.MatchAllTags && query.Tags is { Count: > 0 } ? "true" : null)
            .Add("limit", query.Limit)
            .Add("after", query.After)
            .Add("before", query.Before)
            .Add("order", query.Order);
        return SendAsync<IReadOnlyList<LettaBlock>>(HttpMethod.Get, path.ToString(), null, LettaCallKind.Idempotent, cancellationToken);
    }

    public Task<LettaBlock> ModifyBlockAsync(string blockId, BlockUpdate update, CancellationToken cancellationToken = default) =>
        SendAsync<LettaBlock>(HttpMethod.Patch, $"v1/blocks/{Id(blockId)}", update, LettaCallKind.Idempotent, cancellationToken);

    public Task DeleteBlockAsync(string blockId, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement?>(HttpMethod.Delete, $"v1/blocks/{Id(blockId)}", null, LettaCallKind.Idempotent, cancellationToken);

    public Task<IReadOnlyList<LettaTool>> ListToolsAsync(ListToolsQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ListToolsQuery();
        var path = new Query("v1/tools/")
            .Add("name", query.Name)
            .AddAll("names", query.Names)
            .Add("search", query.Search)
            .Add("limit", query.Limit)
            .Add("after", query.After)
            .Add("order", query.Order);
        return SendAsync<IReadOnlyList<LettaTool>>(HttpMethod.Get, path.ToString(), null, LettaCallKind.Idempotent, cancellationToken);
    }

    public Task<IReadOnlyList<LettaTool>> ListAgentToolsAsync(string agentId, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<LettaTool>>(HttpMethod.Get, new Query($"v1/agents/{Id(agentId)}/tools").Add("limit", 100).ToString(), null, LettaCallKind.Idempotent, cancellationToken);

    public Task<LettaResponse> SendMessageAsync(string agentId, LettaMessageRequest request, CancellationToken cancellationToken = default) =>
        SendTurnAsync($"v1/agents/{Id(agentId)}/messages", SendBody.For(request, null, null), cancellationToken);

    public IAsyncEnumerable<LettaStreamEvent> StreamMessageAsync(string agentId, LettaMessageRequest request, LettaStreamOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamAsync($"v1/agents/{Id(agentId)}/messages", SendBody.For(request, options ?? new LettaStreamOptions(), null), LettaCallKind.Send, cancellationToken);

    public Task<IReadOnlyList<LettaMessage>> ListMessagesAsync(string agentId, ListMessagesQuery? query = null, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<LettaMessage>>(HttpMethod.Get, MessagesPath($"v1/agents/{Id(agentId)}/messages", query, withConversation: true), null, LettaCallKind.Idempotent, cancellationToken);

    public IAsyncEnumerable<LettaMessage> ListAllMessagesAsync(string agentId, ListMessagesQuery? query = null, CancellationToken cancellationToken = default) =>
        PageAsync(q => ListMessagesAsync(agentId, q, cancellationToken), query, cancellationToken);

    public async Task<CancelResult> CancelRunsAsync(string agentId, IReadOnlyList<string>? runIds = null, CancellationToken cancellationToken = default) =>
        new(await SendAsync<JsonElement>(HttpMethod.Post, $"v1/agents/{Id(agentId)}/messages/cancel", new CancelBody(runIds), LettaCallKind.Idempotent, cancellationToken).ConfigureAwait(false));

    public Task<Conversation> CreateConversationAsync(string agentId, CreateConversationRequest? request = null, CancellationToken cancellationToken = default) =>
        SendAsync<Conversation>(HttpMethod.Post, new Query("v1/conversations/").Add("agent_id", agentId).ToString(), request ?? new CreateConversationRequest(), LettaCallKind.Create, cancellationToken);

    public Task<Conversation> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default) =>
        SendAsync<Conversation>(HttpMethod.Get, $"v1/conversations/{Id(conversationId)}", null, LettaCallKind.Idempotent, cancellationToken);

    public Task<IReadOnlyList<Conversation>> ListConversationsAsync(ListConversationsQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ListConversationsQuery();
        var path = new Query("v1/conversations/")
            .Add("agent_id", query.AgentId)
            .Add("limit", query.Limit)
            .Add("after", query.After)
            .Add("order", query.Order);
        return SendAsync<IReadOnlyList<Conversation>>(HttpMethod.Get, path.ToString(), null, LettaCallKind.Idempotent, cancellationToken);
    }

    // The conversation endpoint streams unless told otherwise, so streaming:false is always sent explicitly.
    public Task<LettaResponse> SendConversationMessageAsync(string conversationId, LettaMessageRequest request, CancellationToken cancellationToken = default) =>
        SendTurnAsync($"v1/conversations/{Id(conversationId)}/messages", SendBody.For(request, null, null) with { Streaming = false }, cancellationToken);

    public IAsyncEnumerable<LettaStreamEvent> StreamConversationMessageAsync(string conversationId, LettaMessageRequest request, LettaStreamOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamAsync($"v1/conversations/{Id(conversationId)}/messages", SendBody.For(request, options ?? new LettaStreamOptions(), null), LettaCallKind.Send, cancellationToken);

    public Task<IReadOnlyList<LettaMessage>> ListConversationMessagesAsync(string conversationId, ListMessagesQuery? query = null, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<LettaMessage>>(HttpMethod.Get, MessagesPath($"v1/conversations/{Id(conversationId)}/messages", query, withConversation: false), null, LettaCallKind.Idempotent, cancellationToken);

    public IAsyncEnumerable<LettaMessage> ListAllConversationMessagesAsync(string conversationId, ListMessagesQuery? query = null, CancellationToken cancellationToken = default) =>
        PageAsync(q => ListConversationMessagesAsync(conversationId, q, cancellationToken), query, cancellationToken);

    public async Task<CancelResult> CancelConversationAsync(string conversationId, CancellationToken cancellationToken = default) =>
        new(await SendAsync<JsonElement>(HttpMethod.Post, $"v1/conversations/{Id(conversationId)}/cancel", null, LettaCallKind.Idempotent, cancellationToken).ConfigureAwait(false));

    public IAsyncEnumerable<LettaStreamEvent> ResumeRunStreamAsync(string runId, int startingAfter, bool includePings = true, CancellationToken cancellationToken = default) =>
        StreamAsync($"v1/runs/{Id(runId)}/stream", new ResumeBody(startingAfter, includePings), LettaCallKind.Idempotent, cancellationToken);

    public IAsyncEnumerable<LettaStreamEvent> ResumeConversationStreamAsync(string conversationId, int startingAfter, string? runId = null, bool includePings = true, CancellationToken cancellationToken = default) =>
        StreamAsync($"v1/conversations/{Id(conversationId)}/stream", new ResumeConversationBody(startingAfter, includePings, runId), LettaCallKind.Idempotent, cancellationToken);

    public Task<LettaRun> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        SendAsync<LettaRun>(HttpMethod.Get, $"v1/runs/{Id(runId)}", null, LettaCallKind.Idempotent, cancellationToken);

    private static async IAsyncEnumerable<LettaMessage> PageAsync(
        Func<ListMessagesQuery, Task<IReadOnlyList<LettaMessage>>> list,
        ListMessagesQuery? query,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        query ??= new ListMessagesQuery();
        var limit = query.Limit ?? 100;
        var page = query with { Limit = limit };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var messages = await list(page).ConfigureAwait(false);
            foreach (var message in messages)
            {
                yield return message;
            }
            if (messages.Count < limit)
            {
                yield break;
            }
            // The cursor moves in the requested order: the next page starts after the last id of this one.
            page = page with { After = messages[^1].Id, Before = null };
        }
    }

    private static string MessagesPath(string basePath, ListMessagesQuery? query, bool withConversation)
    {
        query ??= new ListMessagesQuery();
        return new Query(basePath)
            .Add("before", query.Before)
            .Add("after", query.After)
            .Add("limit", query.Limit)
            .Add("order", query.Order)
            .Add("conversation_id", withConversation ? query.ConversationId : null)
            .AddAll("include_return_message_types", query.IncludeReturnMessageTypes)
            .ToString();
    }

    private async Task<LettaResponse> SendTurnAsync(string path, SendBody body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SendTimeout);
        using var request = CreateRequest(HttpMethod.Post, path, Json(body), LettaCallKind.Send);
        using var response = await SendRawAsync(request, streaming: true, timeout.Token, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<LettaResponse>(response, timeout.Token, cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<LettaStreamEvent> StreamAsync(string path, object body, LettaCallKind kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = CreateRequest(HttpMethod.Post, path, Json(body), kind);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var start = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        start.CancelAfter(_options.StreamStartTimeout);
        using var response = await SendRawAsync(request, streaming: true, start.Token, cancellationToken).ConfigureAwait(false);
        // Started: from here the idle watchdog judges the stream, however long the turn runs.
        start.CancelAfter(Timeout.InfiniteTimeSpan);

        if (response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            // A server that answers a streaming request with a whole LettaResponse is replayed as events.
            var whole = await ReadAsync<LettaResponse>(response, cancellationToken).ConfigureAwait(false);
            foreach (var message in whole.Messages)
            {
                yield return new LettaMessageEvent(message);
            }
            if (whole.StopReason is not null)
            {
                yield return new LettaStopReasonEvent(whole.StopReason.StopReason);
            }
            if (whole.Usage is not null)
            {
                yield return new LettaUsageEvent(whole.Usage);
            }
            yield return new LettaDoneEvent();
            yield break;
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var streamEvent in LettaSseReader.ReadAsync(stream, _options.StreamIdleTimeout, cancellationToken).ConfigureAwait(false))
            {
                yield return streamEvent;
            }
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, LettaCallKind kind, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(method, path, body is null ? null : Json(body), kind);
        using var response = await SendRawAsync(request, streaming: false, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, bool streaming, CancellationToken cancellationToken) =>
        SendRawAsync(request, streaming, cancellationToken, cancellationToken);

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, bool streaming, CancellationToken cancellationToken, CancellationToken callerToken)
    {
        var client = _httpClientFactory.CreateClient(streaming ? LettaServiceCollectionExtensions.StreamingHttpClientName : LettaServiceCollectionExtensions.HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (LettaErrors.FromException(ex, InstanceName, callerToken) is { } mapped)
        {
            throw mapped;
        }
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await LettaErrors.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
        return response;
    }

    private Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ReadAsync<T>(response, cancellationToken, cancellationToken);

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken, CancellationToken callerToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (LettaErrors.FromException(ex, InstanceName, callerToken) is { } mapped)
        {
            throw mapped;
        }
        if (text.Length == 0)
        {
            return default!;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(text, LettaJson.Options)!;
        }
        catch (JsonException ex)
        {
            throw new LettaException($"Letta instance '{InstanceName}' returned a body this client cannot read as {typeof(T).Name}: {ex.Message}", response.StatusCode, rawBody: text, innerException: ex);
        }
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string pathAndQuery, HttpContent? content, LettaCallKind kind)
    {
        var request = new HttpRequestMessage(method, new Uri(_baseUri, pathAndQuery)) { Content = content };
        request.Options.Set(LettaResilience.CallKind, kind);
        if (_instance.BearerToken is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (!string.IsNullOrEmpty(_instance.Project))
        {
            request.Headers.TryAddWithoutValidation("X-Project", _instance.Project);
        }
        return request;
    }

    // Serialised up front so a retry re-sends byte-identical content (same otids).
    private static ByteArrayContent Json(object body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), LettaJson.Options));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string Id(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return Uri.EscapeDataString(value);
    }

    private sealed record CancelBody(IReadOnlyList<string>? RunIds);

    private sealed record ResumeBody(int StartingAfter, bool IncludePings);

    private sealed record ResumeConversationBody(int StartingAfter, bool IncludePings, string? RunId);

    /// <summary>The wire body of a send (<c>LettaStreamingRequest</c> / <c>ConversationMessageRequest</c>).</summary>
    private sealed record SendBody
    {
        public required IReadOnlyList<LettaInput> Messages { get; init; }
        public IReadOnlyList<LettaClientTool>? ClientTools { get; init; }
        public int? MaxSteps { get; init; }
        public IReadOnlyList<string>? IncludeReturnMessageTypes { get; init; }
        public string? OverrideModel { get; init; }
        public string? AgentId { get; init; }
        public bool? Streaming { get; init; }

        // Streaming-only options sent without streaming:true are rejected with 422, so they are left out then.
        public bool? StreamTokens { get; init; }
        public bool? IncludePings { get; init; }
        public bool? Background { get; init; }

        public static SendBody For(LettaMessageRequest request, LettaStreamOptions? stream, string? agentId) => new()
        {
            Messages = request.Messages,
            ClientTools = request.ClientTools,
            MaxSteps = request.MaxSteps,
            IncludeReturnMessageTypes = request.IncludeReturnMessageTypes,
            OverrideModel = request.OverrideModel,
            AgentId = agentId,
            Streaming = stream is null ? null : true,
            StreamTokens = stream?.StreamTokens,
            IncludePings = stream?.IncludePings,
            Background = stream is { Background: true } ? true : null,
        };
    }

    /// <summary>Builds a query string; list values repeat the key (FastAPI's list convention).</summary>
    private sealed class Query(string path)
    {
        private readonly StringBuilder _query = new();

        public Query Add(string name, string? value)
        {
            if (value is not null)
            {
                _query.Append(_query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
            return this;
        }

        public Query Add(string name, int? value) => Add(name, value?.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public Query Add(string name, LettaSortOrder? value) => Add(name, value switch
        {
            LettaSortOrder.Asc => "asc",
            LettaSortOrder.Desc => "desc",
            _ => null,
        });

        public Query AddAll(string name, IEnumerable<string>? values)
        {
            foreach (var value in values ?? [])
            {
                Add(name, value);
            }
            return this;
        }

        public override string ToString() => path + _query;
    }
}
