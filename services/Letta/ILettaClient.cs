namespace LettaPlatform.Letta;

/// <summary>
/// A typed client for one Letta instance (REST v1). Every failure surfaces as a <see cref="LettaException"/>;
/// streams are read as they arrive and end with <see cref="LettaDoneEvent"/>.
/// </summary>
public interface ILettaClient
{
    string InstanceName { get; }

    Task<LettaHealth> GetHealthAsync(CancellationToken cancellationToken = default);
    Task<LettaHealth> GetReadinessAsync(CancellationToken cancellationToken = default);

    Task<AgentState> CreateAgentAsync(CreateAgentRequest request, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<AgentState>> ListAgentsAsync(ListAgentsQuery? query = null, CancellationToken cancellationToken = default);
    Task<AgentState> GetAgentAsync(string agentId, IReadOnlyList<string>? include = null, CancellationToken cancellationToken = default);
    Task<AgentState> ModifyAgentAsync(string agentId, UpdateAgentRequest request, CancellationToken cancellationToken = default);
    Task DeleteAgentAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary>The Agent File (.af) of an agent, as raw JSON text.</summary>
    Task<string> ExportAgentAsync(string agentId, ExportAgentOptions? options = null, CancellationToken cancellationToken = default);
    Task<ImportedAgents> ImportAgentAsync(string agentFileJson, ImportAgentOptions? options = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LettaBlock>> ListAgentBlocksAsync(string agentId, CancellationToken cancellationToken = default);
    Task<LettaBlock> GetAgentBlockAsync(string agentId, string label, CancellationToken cancellationToken = default);
    Task<LettaBlock> ModifyAgentBlockAsync(string agentId, string label, BlockUpdate update, CancellationToken cancellationToken = default);
    Task<AgentState> AttachBlockAsync(string agentId, string blockId, CancellationToken cancellationToken = default);
    Task<AgentState> DetachBlockAsync(string agentId, string blockId, CancellationToken cancellationToken = default);

    Task<LettaBlock> CreateBlockAsync(CreateBlockRequest request, CancellationToken cancellationToken = default);
    Task<LettaBlock> GetBlockAsync(string blockId, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<LettaBlock>> ListBlocksAsync(ListBlocksQuery? query = null, CancellationToken cancellationToken = default);
    Task<LettaBlock> ModifyBlockAsync(string blockId, BlockUpdate update, CancellationToken cancellationToken = default);
    Task DeleteBlockAsync(string blockId, CancellationToken cancellationToken = default);

    /// <summary>The agents a block is attached to (a shared block, such as a project's <c>project_context</c>, has several).</summary>
    Task<IReadOnlyList<AgentState>> ListAgentsForBlockAsync(string blockId, int? limit = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LettaTool>> ListToolsAsync(ListToolsQuery? query = null, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<LettaTool>> ListAgentToolsAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary>Runs a whole turn and returns when it stops (bounded by <see cref="LettaOptions.SendTimeout"/>).</summary>
    Task<LettaResponse> SendMessageAsync(string agentId, LettaMessageRequest request, CancellationToken cancellationToken = default);
    IAsyncEnumerable<LettaStreamEvent> StreamMessageAsync(string agentId, LettaMessageRequest request, LettaStreamOptions? options = null, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<LettaMessage>> ListMessagesAsync(string agentId, ListMessagesQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Every message, page by page; <c>after</c> follows the requested order (docs/letta-notes.md §3).</summary>
    IAsyncEnumerable<LettaMessage> ListAllMessagesAsync(string agentId, ListMessagesQuery? query = null, CancellationToken cancellationToken = default);
    Task<CancelResult> CancelRunsAsync(string agentId, IReadOnlyList<string>? runIds = null, CancellationToken cancellationToken = default);

    Task<Conversation> CreateConversationAsync(string agentId, CreateConversationRequest? request = null, CancellationToken cancellationToken = default);
    Task<Conversation> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<Conversation>> ListConversationsAsync(ListConversationsQuery? query = null, CancellationToken cancellationToken = default);
    Task<LettaResponse> SendConversationMessageAsync(string conversationId, LettaMessageRequest request, CancellationToken cancellationToken = default);
    IAsyncEnumerable<LettaStreamEvent> StreamConversationMessageAsync(string conversationId, LettaMessageRequest request, LettaStreamOptions? options = null, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<LettaMessage>> ListConversationMessagesAsync(string conversationId, ListMessagesQuery? query = null, CancellationToken cancellationToken = default);
    IAsyncEnumerable<LettaMessage> ListAllConversationMessagesAsync(string conversationId, ListMessagesQuery? query = null, CancellationToken cancellationToken = default);
    Task<CancelResult> CancelConversationAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>Re-attaches to a run's stream after a disconnect, from the event after <paramref name="startingAfter"/> (a seq_id).</summary>
    IAsyncEnumerable<LettaStreamEvent> ResumeRunStreamAsync(string runId, int startingAfter, bool includePings = true, CancellationToken cancellationToken = default);
    /// <summary>Re-attaches to a conversation's current (or given) run stream after a disconnect.</summary>
    IAsyncEnumerable<LettaStreamEvent> ResumeConversationStreamAsync(string conversationId, int startingAfter, string? runId = null, bool includePings = true, CancellationToken cancellationToken = default);
    Task<LettaRun> GetRunAsync(string runId, CancellationToken cancellationToken = default);
}
