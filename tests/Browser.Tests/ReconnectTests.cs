using System.Text.RegularExpressions;
using LettaPlatform.TestInfrastructure;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>The network dropping mid-reply: the browser talks to the gateway through a relay the test cuts.</summary>
public class ReconnectTests(BrowserPlatform platform, BrowserFixture browser)
{
    [Fact]
    public async Task ConnectionCut_MidReply_PageReconnectsAndTheReplyCompletesOnce()
    {
        var user = $"net-{Guid.NewGuid():N}"[..16];
        await using var relay = new TcpRelay(platform.GatewayUrl);
        await using var chat = await ChatPage.OpenAsync(browser, relay.Url);
        await chat.SignInAsync(user);
        await chat.NewChatAsync("Flaky network", "task-manager");
        // The agent looks at the tasks, then thinks for five seconds before answering: time to cut the line.
        await platform.ScriptAgentAsync(user, "task-manager", """
            [{"type":"tool_call","name":"query_tasks","arguments":{}},
             {"type":"delay","ms":5000},
             {"type":"assistant","text":"All caught up: you have no open tasks."}]
            """);

        await chat.SendAsync("how am I doing?");
        await Expect(chat.ToolCard("query_tasks")).ToHaveAttributeAsync("data-state", "done");
        var connectionsBeforeCut = relay.ConnectionsAccepted;
        Assert.True(relay.CutAll() >= 1, "the reply stream was open through the relay");
        await chat.WaitForReplyDoneAsync();

        Assert.True(relay.ConnectionsAccepted > connectionsBeforeCut, "the page opened a new connection to resume");
        var text = await chat.LastAgentMessage.InnerTextAsync();
        Assert.Single(Regex.Matches(text, "All caught up: you have no open tasks."));
        await Expect(chat.ToolCard("query_tasks")).ToHaveCountAsync(1);
        await Expect(chat.LastAgentMessage.Locator(".usage")).ToHaveCountAsync(1);
        await chat.ScreenshotAsync("21-reconnected");
    }
}
