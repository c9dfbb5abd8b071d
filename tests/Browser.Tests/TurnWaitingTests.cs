using System.Diagnostics;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>A reply held up by a slow or hung agent: the turn says it waits and for how long, and the person can cancel it.</summary>
public class TurnWaitingTests(BrowserPlatform platform, BrowserFixture browser)
{
    private static string NewUser() => $"wait-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task SlowAgent_TurnShowsHowLongItWaits_CancelStopsItAndTheChatGoesOn()
    {
        var user = NewUser();
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(user);
        await chat.NewChatAsync("Slow agent");
        // The model thinks for two minutes before its first word.
        await platform.ScriptAgentAsync(user, "code-assistant", """[{"type":"delay","ms":120000}]""");

        await chat.SendAsync("take your time");

        var waiting = chat.LastAgentMessage.Locator(".turn-waiting");
        await Expect(waiting).ToHaveTextAsync(new Regex(@"Waiting for the agent… ([2-9]|\d{2,}) s"));
        await Expect(chat.CancelReplyButton).ToBeVisibleAsync();
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("25-waiting-for-the-agent");

        var cancelling = Stopwatch.StartNew();
        await chat.CancelReplyButton.ClickAsync();
        await Expect(chat.StreamStatus).ToHaveTextAsync("Reply cancelled.");
        cancelling.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"Cancel reply → done (cancelled) on the page: {cancelling.ElapsedMilliseconds} ms");

        await Expect(chat.LastAgentMessage.Locator(".turn-cancelled")).ToHaveTextAsync("You cancelled this reply.");
        await Expect(waiting).ToHaveCountAsync(0);
        // The model never took a step, so there is nothing to count.
        await Expect(chat.LastAgentMessage.Locator(".usage")).ToHaveCountAsync(0);
        await Expect(chat.CancelReplyButton).ToBeHiddenAsync();
        await chat.ScreenshotAsync("26-reply-cancelled");

        // Letta's run was stopped too, so the chat answers the next message.
        await chat.SendAsync("are you back?");
        await Expect(chat.StreamStatus).ToHaveTextAsync("Reply complete.");
        await Expect(chat.LastAgentMessage.Locator(".body")).ToContainTextAsync("You said");
    }

    [Fact]
    public async Task HungAgent_CancelledBeforeItReceivedTheMessage_MessageGoesBackToTheBox()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Hung agent");
        // The send hangs as it does when Letta never answers; once the person cancels, it is answered as chat-api
        // answers a turn cancelled before Letta received it (that path itself is tested in Chat.Api.Tests).
        var cancelled = new TaskCompletionSource();
        await chat.Page.RouteAsync("**/messages/stream", async route =>
        {
            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await route.FulfillAsync(new()
            {
                Status = 409,
                ContentType = "application/problem+json",
                Body = """{"type":"https://lettaplatform.dev/problems/turn-cancelled","title":"The turn was cancelled","status":409,"detail":"You cancelled the turn before the agent received it; nothing was saved in the chat.","code":"turn_cancelled"}""",
            });
        });
        await chat.Page.RouteAsync("**/turns/cancel", async route =>
        {
            cancelled.TrySetResult();
            await route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = """{"cancelRequested":true}""" });
        });

        await chat.SendAsync("anyone there?");
        await Expect(chat.LastAgentMessage.Locator(".turn-waiting")).ToBeVisibleAsync();
        await chat.CancelReplyButton.ClickAsync();

        await Expect(chat.StreamStatus).ToHaveTextAsync("Cancelled before the agent received your message. It is back in the message box.");
        await Expect(chat.Page.GetByLabel("Message", new() { Exact = true })).ToHaveValueAsync("anyone there?");
        await Expect(chat.Messages.Locator("article")).ToHaveCountAsync(0);
        await Expect(chat.Alert).ToBeHiddenAsync();
        await Expect(chat.CancelReplyButton).ToBeHiddenAsync();
    }
}
