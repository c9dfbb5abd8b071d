using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>Badges and counters follow the chat as it happens, without a reload; empty places say what to do next.</summary>
public class PageStateTests(BrowserPlatform platform, BrowserFixture browser)
{
    private static string NewUser() => $"live-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task ApprovalBadge_AppearsWhenAskedAndClearsAfterDenyOrApprove_WithoutAReload()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Badge chat");
        var badge = chat.ChatInList("Badge chat").Locator(".badge");
        await Expect(badge).ToHaveCountAsync(0);

        await chat.SendAsync("open a pull request in octo/hello from feature to main: First");
        await Expect(badge).ToHaveTextAsync("needs approval");
        await chat.ScreenshotAsync("27-approval-badge");
        await chat.ToolCard("create_pull_request").Last.GetByRole(AriaRole.Button, new() { Name = "Deny" }).ClickAsync();
        await Expect(chat.StreamStatus).ToHaveTextAsync("Reply complete.");
        await Expect(badge).ToHaveCountAsync(0);

        await chat.SendAsync("open a pull request in octo/hello from feature to main: Second");
        await Expect(badge).ToHaveTextAsync("needs approval");
        await chat.ToolCard("create_pull_request").Last.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(chat.StreamStatus).ToHaveTextAsync("Reply complete.");
        await Expect(badge).ToHaveCountAsync(0);

        // What the page showed live is what the platform holds.
        await chat.Page.ReloadAsync();
        await Expect(chat.ChatInList("Badge chat")).ToBeVisibleAsync();
        await Expect(chat.ChatInList("Badge chat").Locator(".badge")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Usage_OneStepAndTwoSteps_CountedInWords()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Counting", "task-manager");

        await chat.SendAsync("hello");
        await chat.WaitForReplyDoneAsync();
        await Expect(chat.LastAgentMessage.Locator(".usage")).ToHaveTextAsync(new Regex(@"^\d+ tokens?, 1 step$"));

        // A tool call, then the answer: two model steps.
        await chat.SendAsync("list my tasks");
        await chat.WaitForReplyDoneAsync();
        await Expect(chat.LastAgentMessage.Locator(".usage")).ToHaveTextAsync(new Regex(@"^\d+ tokens, 2 steps$"));
    }

    [Fact]
    public async Task EmptyStates_NewPerson_EachSaysWhatToDoNext()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        var chatEmpty = chat.Page.Locator("#chat-empty");

        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("No chat open");
        await Expect(chatEmpty).ToHaveTextAsync("Pick an agent on the left and press New chat to start.");
        await Expect(chat.Page.Locator("#session-list")).ToHaveTextAsync("No chats yet. Pick an agent above and press New chat.");
        await Expect(chat.Page.Locator("#tasks")).ToHaveTextAsync("No tasks yet. Add one above, or ask the task manager agent to create one.");
        await Expect(chat.Page.Locator("#github-hint")).ToBeVisibleAsync();
        await Expect(chat.Page.Locator("#memory-empty")).ToHaveTextAsync("Open a chat to see its agent's memory.");
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("28-empty-states");

        await chat.NewChatAsync("First steps");
        await Expect(chatEmpty).ToHaveTextAsync("No messages yet. Write to the agent in the box below; its answers appear here.");
        await chat.Page.GetByText("Snapshots", new() { Exact = true }).ClickAsync();
        await Expect(chat.Page.Locator("#snapshots")).ToHaveTextAsync("No snapshots yet. Take snapshot saves every block as it is now, to restore later.");

        await chat.SendAsync("hello");
        await Expect(chatEmpty).ToBeHiddenAsync();
        await chat.WaitForReplyDoneAsync();

        // Back to no chat open, with a chat in the list: the hint says so.
        await chat.Page.ReloadAsync();
        await Expect(chatEmpty).ToHaveTextAsync("Open one of your chats on the left, or pick an agent and press New chat to start another.");
    }
}
