using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>
/// A chat whose agent was archived (after a long time unused; here an operator does it on demand): the page says so
/// when the chat is opened, says the agent is being restored while the next reply waits for it, and the reply comes
/// from the restored agent with the person's own memory.
/// </summary>
public class ArchivedAgentTests(BrowserPlatform platform, BrowserFixture browser)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ArchivedAgent_PageSaysSo_NextMessageShowsTheRestoreAndTheRestoredAgentAnswers()
    {
        var user = $"arch-{Guid.NewGuid():N}"[..16];
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(user);
        await chat.NewChatAsync("Before the archive", "documentation");
        await chat.SendAsync("hello");
        await Expect(chat.StreamStatus).ToHaveTextAsync("Reply complete.");
        var notice = chat.Page.Locator("#agent-archived");
        await Expect(notice).ToBeHiddenAsync();

        using (var api = await platform.CreateUserClientAsync(user, Token))
        using (var admin = platform.CreateAdminClient())
        {
            var agents = (await api.GetFromJsonAsync<JsonObject>("/api/agents", Token))!;
            var agentId = agents["items"]!.AsArray().Single(agent => (string?)agent!["templateId"] == "documentation")!["id"]!.GetValue<string>();
            using var archived = await admin.PostAsync($"/api/agents/{agentId}/archive", null, Token);
            Assert.True(archived.StatusCode == HttpStatusCode.OK, await archived.Content.ReadAsStringAsync(Token));
        }

        // The person comes back to the chat later: opening it tells them where their agent is.
        await chat.Page.ReloadAsync();
        await chat.OpenChatAsync("Before the archive");
        await Expect(notice).ToBeVisibleAsync();
        await Expect(notice).ToContainTextAsync("archived after a while unused");
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("40-archived-agent");

        // The restore is quick here; the page's request is held a moment so what it says meanwhile can be read.
        var sent = new TaskCompletionSource();
        await chat.Page.RouteAsync("**/messages/stream", async route =>
        {
            sent.TrySetResult();
            await Task.Delay(1500);
            await route.ContinueAsync();
        });
        await chat.SendAsync("who are you?");
        await sent.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        await Expect(chat.StreamStatus).ToContainTextAsync("Restoring your agent");
        await Expect(notice).ToBeHiddenAsync();
        await chat.ScreenshotAsync("41-restoring-the-agent");

        await Expect(chat.StreamStatus).ToHaveTextAsync("Reply complete.");
        await Expect(chat.LastAgentMessage.Locator(".body")).ToContainTextAsync("You said");
        await Expect(notice).ToBeHiddenAsync();
        using (var api = await platform.CreateUserClientAsync(user, Token))
        {
            var agents = (await api.GetFromJsonAsync<JsonObject>("/api/agents", Token))!;
            Assert.Equal("active", agents["items"]!.AsArray().Single(agent => (string?)agent!["templateId"] == "documentation")!["status"]!.GetValue<string>());
        }
    }
}
