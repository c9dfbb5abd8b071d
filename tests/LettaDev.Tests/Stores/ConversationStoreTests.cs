using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Tests.Stores;

public sealed class ConversationStoreTests
{
    private readonly StoreSet _stores = new();

    [Fact]
    public void Resolve_Default_IsTheAgentsMainThread()
    {
        var agent = _stores.Agent();

        var resolved = _stores.Conversations.Resolve(agent.Agent.Id, "default");

        Assert.Same(agent.Agent.Thread, resolved.Thread);
        Assert.Null(resolved.ConversationId);
    }

    [Fact]
    public void Resolve_DefaultWithoutAgent_Is422()
    {
        LettaAssert.Fails(422, () => _stores.Conversations.Resolve(null, "default"));
    }

    [Fact]
    public void Resolve_Conversation_IsItsOwnThread()
    {
        var agent = _stores.Agent();
        var conversation = _stores.Conversations.Create(agent.Agent.Id, new ConversationFields("s", null));

        var resolved = _stores.Conversations.Resolve(null, conversation.Id);

        Assert.Equal((agent.Agent.Id, conversation.Id), (resolved.AgentId, resolved.ConversationId));
        Assert.Same(conversation.Thread, resolved.Thread);
        Assert.NotSame(agent.Agent.Thread, resolved.Thread);
    }

    [Fact]
    public void Resolve_ConversationWithAnotherAgent_IsNotFound()
    {
        var owner = _stores.Agent("owner");
        var other = _stores.Agent("other");
        var conversation = _stores.Conversations.Create(owner.Agent.Id, new ConversationFields(null, null));

        var error = LettaAssert.Fails(404, () => _stores.Conversations.Resolve(other.Agent.Id, conversation.Id));

        Assert.Equal("Conversation not found", error.Message);
    }

    [Fact]
    public void Create_ForAnUnknownAgent_IsNotFound()
    {
        LettaAssert.Fails(404, () => _stores.Conversations.Create(Ids.New(Ids.Agent), new ConversationFields(null, null)));
    }

    [Fact]
    public void Update_And_Touch_StampTheirOwnTimes()
    {
        var agent = _stores.Agent();
        var conversation = _stores.Conversations.Create(agent.Agent.Id, new ConversationFields("s", "m"));
        var created = _stores.Time.Now;

        _stores.Time.Advance(TimeSpan.FromMinutes(1));
        _stores.Conversations.Touch(conversation.Id);
        _stores.Time.Advance(TimeSpan.FromMinutes(1));
        var updated = _stores.Conversations.Update(conversation.Id, new ConversationFields("changed", null));

        Assert.Equal(("changed", "m"), (updated.Summary, updated.Model));
        Assert.Equal(created.AddMinutes(1), updated.LastMessageAt);
        Assert.Equal(created.AddMinutes(2), updated.UpdatedAt);
        Assert.Same(conversation.Thread, updated.Thread);
    }

    [Fact]
    public void DeleteForAgent_RemovesOnlyThatAgentsConversations()
    {
        var first = _stores.Agent("first");
        var second = _stores.Agent("second");
        _stores.Conversations.Create(first.Agent.Id, new ConversationFields(null, null));
        var kept = _stores.Conversations.Create(second.Agent.Id, new ConversationFields(null, null));

        _stores.Conversations.DeleteForAgent(first.Agent.Id);

        Assert.Equal([kept.Id], _stores.Conversations.List(null, new PageQuery(null, null, null, "asc")).Select(c => c.Id));
    }
}
