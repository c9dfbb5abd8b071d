using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LettaPlatform.Letta.Tests;

public sealed class LettaClientTests : IAsyncLifetime
{
    private ScriptedLettaServer _server = null!;
    private LettaClientHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await ScriptedLettaServer.StartAsync();
        _host = LettaClientHost.For(_server.Endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await _server.DisposeAsync();
    }

    private static string Message(int n) => $$"""{"id":"message-{{n}}","date":"2026-01-01T00:00:00Z","content":"m{{n}}","message_type":"user_message"}""";

    [Fact]
    public async Task ListAllMessages_ThreePages_FollowsTheAfterCursorUntilAShortPage()
    {
        _server.Handler = context =>
        {
            var after = context.Request.Query["after"].ToString();
            var page = after switch
            {
                "" => new[] { 10, 9 },
                "message-9" => [8, 7],
                "message-7" => [6],
                _ => [],
            };
            return ScriptedLettaServer.Json(context, 200, "[" + string.Join(",", page.Select(Message)) + "]");
        };

        var ids = new List<string>();
        await foreach (var message in _host.Client.ListAllMessagesAsync("agent-1", new ListMessagesQuery { Limit = 2, Order = LettaSortOrder.Desc }, Ct))
        {
            ids.Add(message.Id);
        }

        Assert.Equal(["message-10", "message-9", "message-8", "message-7", "message-6"], ids);
        Assert.Equal(
            ["/v1/agents/agent-1/messages?limit=2&order=desc", "/v1/agents/agent-1/messages?after=message-9&limit=2&order=desc", "/v1/agents/agent-1/messages?after=message-7&limit=2&order=desc"],
            _server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task ListAgents_TagsAndInclude_RepeatsListParameters()
    {
        _server.Handler = context => ScriptedLettaServer.Json(context, 200, """[{"id":"agent-1","name":"a","tags":["user:1"],"blocks":[],"tools":[],"unknown_field":1}]""");

        var agents = await _host.Client.ListAgentsAsync(new ListAgentsQuery
        {
            Tags = ["user:1", "template:t"],
            MatchAllTags = true,
            Include = [AgentInclude.Blocks, AgentInclude.Tools],
            Limit = 5,
        }, Ct);

        Assert.Equal("agent-1", Assert.Single(agents).Id);
        Assert.Equal("/v1/agents/?tags=user%3A1&tags=template%3At&match_all_tags=true&limit=5&include=agent.blocks&include=agent.tools", Assert.Single(_server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task ExportAgent_ObjectBody_ReturnsTheRawJson()
    {
        _server.Handler = context => ScriptedLettaServer.Json(context, 200, """{"agents":[{"id":"agent-1"}],"blocks":[]}""");

        var file = await _host.Client.ExportAgentAsync("agent-1", cancellationToken: Ct);

        Assert.Equal("""{"agents":[{"id":"agent-1"}],"blocks":[]}""", file);
    }

    [Fact]
    public async Task ExportAgent_JsonStringBody_ReturnsTheUnwrappedText()
    {
        _server.Handler = context => ScriptedLettaServer.Json(context, 200, JsonSerializer.Serialize("""{"agents":[]}"""));

        var file = await _host.Client.ExportAgentAsync("agent-1", new ExportAgentOptions { ScrubMessages = true }, Ct);

        Assert.Equal("""{"agents":[]}""", file);
        Assert.Equal("/v1/agents/agent-1/export?scrub_messages=true", Assert.Single(_server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task ImportAgent_AgentFile_PostsMultipartWithFileAndOptions()
    {
        IFormCollection? form = null;
        string? fileName = null;
        string? fileText = null;
        _server.Handler = async context =>
        {
            context.Request.Body.Position = 0;
            form = await context.Request.ReadFormAsync(context.RequestAborted);
            var file = Assert.Single(form.Files);
            fileName = file.Name;
            using var reader = new StreamReader(file.OpenReadStream());
            fileText = await reader.ReadToEndAsync(context.RequestAborted);
            await ScriptedLettaServer.Json(context, 200, """{"agent_ids":["agent-9"]}""");
        };

        var result = await _host.Client.ImportAgentAsync("""{"agents":[]}""", new ImportAgentOptions { Name = "copy", StripMessages = true }, Ct);

        Assert.Equal(["agent-9"], result.AgentIds);
        Assert.NotNull(form);
        Assert.Equal("copy", form["name"]);
        Assert.Equal("true", form["strip_messages"]);
        Assert.Equal("true", form["override_existing_tools"]);
        Assert.Equal("file", fileName);
        Assert.Equal("""{"agents":[]}""", fileText);
    }

    [Fact]
    public async Task SendConversationMessage_NonStreaming_SaysStreamingFalseExplicitly()
    {
        _server.Handler = context => ScriptedLettaServer.Json(context, 200, """{"messages":[],"stop_reason":{"stop_reason":"end_turn"},"usage":{}}""");

        await _host.Client.SendConversationMessageAsync("conv-1", new LettaMessageRequest { Messages = [LettaInput.User("hi")] }, Ct);

        var sent = Assert.Single(_server.Requests);
        Assert.Equal("/v1/conversations/conv-1/messages", sent.PathAndQuery);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.False(body.RootElement.GetProperty("streaming").GetBoolean());
    }

    [Fact]
    public async Task ModifyAgentBlock_LabelWithSpecialCharacters_IsEscapedInThePath()
    {
        _server.Handler = context => ScriptedLettaServer.Json(context, 200, """{"id":"block-1","label":"a b","value":"v"}""");

        await _host.Client.ModifyAgentBlockAsync("agent-1", "a b", new BlockUpdate { Value = "v" }, Ct);

        var sent = Assert.Single(_server.Requests);
        Assert.Equal("PATCH", sent.Method);
        Assert.Equal("/v1/agents/agent-1/core-memory/blocks/a%20b", sent.PathAndQuery);
        Assert.Equal("""{"value":"v"}""", sent.Body);
    }

    [Fact]
    public async Task GetAgent_UnreadableBody_ThrowsLettaExceptionWithTheBody()
    {
        _server.Handler = context => ScriptedLettaServer.Json(context, 200, "[1,2]");

        var error = await Assert.ThrowsAsync<LettaException>(() => _host.Client.GetAgentAsync("agent-1", cancellationToken: Ct));

        Assert.Equal("[1,2]", error.RawBody);
    }
}
