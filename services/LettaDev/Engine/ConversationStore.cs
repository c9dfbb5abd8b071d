using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>
/// Conversations by id, each with its own thread, and the lookup of the thread a message goes to. Every change replaces
/// the conversation's record under this store's lock; the lock is taken before the <see cref="AgentStore"/>'s, never after.
/// </summary>
public sealed class ConversationStore(AgentStore agents, TimeProvider time)
{
    private readonly Dictionary<string, ConversationEntity> _conversations = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _sequence;

    public ConversationEntity Create(string agentId, ConversationFields fields)
    {
        lock (_lock)
        {
            // Checked under this lock, so a conversation never outlives a concurrent delete of its agent.
            var agent = agents.Require(agentId);
            var now = time.GetUtcNow();
            var conversation = new ConversationEntity
            {
                Id = Ids.New(Ids.Conversation),
                AgentId = agent.Id,
                Summary = fields.Summary,
                Model = fields.Model,
                CreatedAt = now,
                UpdatedAt = now,
                Sequence = ++_sequence,
            };
            return _conversations[conversation.Id] = conversation;
        }
    }

    public ConversationEntity Get(string id)
    {
        lock (_lock)
        {
            return ConversationLocked(id);
        }
    }

    public ConversationEntity Update(string id, ConversationFields fields)
    {
        lock (_lock)
        {
            var conversation = ConversationLocked(id);
            return _conversations[id] = conversation with
            {
                Summary = fields.Summary ?? conversation.Summary,
                Model = fields.Model ?? conversation.Model,
                UpdatedAt = time.GetUtcNow(),
            };
        }
    }

    public void Delete(string id)
    {
        lock (_lock)
        {
            _conversations.Remove(ConversationLocked(id).Id);
        }
    }

    /// <summary>Drops the conversations of a deleted agent.</summary>
    public void DeleteForAgent(string agentId)
    {
        lock (_lock)
        {
            foreach (var conversation in _conversations.Values.Where(c => c.AgentId == agentId).ToList())
            {
                _conversations.Remove(conversation.Id);
            }
        }
    }

    public IReadOnlyList<ConversationEntity> List(string? agentId, PageQuery page)
    {
        lock (_lock)
        {
            if (agentId is not null)
            {
                agents.Require(agentId);
            }
            var conversations = _conversations.Values.Where(c => agentId is null || c.AgentId == agentId).OrderBy(c => c.Sequence);
            return page.Apply(conversations, c => c.Id);
        }
    }

    /// <summary>Notes that a message was sent to the conversation just now.</summary>
    public void Touch(string id)
    {
        lock (_lock)
        {
            if (_conversations.TryGetValue(id, out var conversation))
            {
                _conversations[id] = conversation with { LastMessageAt = time.GetUtcNow() };
            }
        }
    }

    /// <summary>
    /// The thread a message goes to: a conversation's, or the agent's main thread for <c>default</c> (or none). An
    /// <paramref name="agentId"/> given with a conversation must be the conversation's agent.
    /// </summary>
    public ResolvedThread Resolve(string? agentId, string? conversationId)
    {
        if (conversationId is null or "default")
        {
            var agent = agents.Require(agentId ?? throw LettaException.Invalid("agent_id is required with the default conversation"));
            return new ResolvedThread(agent.Id, null, agent.Thread);
        }
        lock (_lock)
        {
            var conversation = ConversationLocked(conversationId);
            if (agentId is not null && agentId != conversation.AgentId)
            {
                throw LettaException.NotFound("Conversation");
            }
            agents.Require(conversation.AgentId);
            return new ResolvedThread(conversation.AgentId, conversation.Id, conversation.Thread);
        }
    }

    private ConversationEntity ConversationLocked(string id)
    {
        Ids.Require(Ids.Conversation, id, "Conversation");
        return _conversations.TryGetValue(id, out var conversation) ? conversation : throw LettaException.NotFound("Conversation");
    }
}
