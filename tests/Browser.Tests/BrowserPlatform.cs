using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.Browser.Tests;

/// <summary>The platform the browser tests drive, with the Aspire dashboard an operator opens beside it.</summary>
public sealed class BrowserPlatform : PlatformFixture
{
    protected override bool WithDashboard => true;

    /// <summary>Queues model steps (LettaDev's test hook) for <paramref name="user"/>'s agent of <paramref name="templateId"/>.</summary>
    public async Task ScriptAgentAsync(string user, string templateId, string steps)
    {
        using var api = await CreateUserClientAsync(user, TestContext.Current.CancellationToken);
        var agents = await api.GetFromJsonAsync<JsonObject>("/api/agents", TestContext.Current.CancellationToken);
        var lettaAgentId = agents!["items"]!.AsArray().Single(agent => (string?)agent!["templateId"] == templateId)!["lettaAgentId"]!.GetValue<string>();
        await ScriptLettaAgentAsync(lettaAgentId, steps, TestContext.Current.CancellationToken);
    }
}
