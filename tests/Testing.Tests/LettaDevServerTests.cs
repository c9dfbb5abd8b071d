using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;

namespace LettaPlatform.Testing.Tests;

/// <summary>The kit's "just LettaDev" mode: it starts LettaDev and scripts the dev model's next steps.</summary>
public sealed class LettaDevServerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ScriptAsync_ScriptedReply_IsWhatTheAgentAnswers()
    {
        var assembly = typeof(LettaDevServerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LettaDevAssembly").Value!;
        await using var server = await LettaDevServer.StartAsync(assembly, cancellationToken: Token);
        using var letta = server.Connection.CreateLettaClient();
        using var created = await letta.PostAsJsonAsync("/v1/agents/", new { name = "kit-check", memory_blocks = new[] { new { label = "persona", value = "I test." } } }, Token);
        var agentId = (await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!.GetValue<string>();

        await server.Connection.ScriptAsync(agentId, [ScriptStep.Reply("Scripted by the kit.")], Token);
        using var sent = await letta.PostAsJsonAsync($"/v1/agents/{agentId}/messages", new { input = "hello" }, Token);
        var messages = (await sent.Content.ReadFromJsonAsync<JsonObject>(Token))!["messages"]!.AsArray();

        Assert.Contains(messages, m => m!["message_type"]!.GetValue<string>() == "assistant_message" && m["content"]!.GetValue<string>() == "Scripted by the kit.");
    }
}
