using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace LettaPlatform.Letta;

/// <summary>
/// The Letta REST v1 client of one instance: one method per operation. How a call goes over HTTP (errors, timeouts,
/// streams) is in LettaClient.Transport.cs, and the bodies and query strings it sends are in LettaClient.Wire.cs.
/// </summary>
internal sealed partial class LettaClient : ILettaClient
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

    public Task<IReadOnlyList<AgentState>> ListAgentsForBlockAsync(string blockId, int? limit = null, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<AgentState>>(HttpMethod.Get, new Query($"v1/blocks/{Id(blockId)}/agents").Add("limit", limit).ToString(), null, LettaCallKind.Idempotent, cancellationToken);

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

    private static string Id(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return Uri.EscapeDataString(value);
    }
}
