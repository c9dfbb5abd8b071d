using LettaPlatform.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>Signing in and chatting on the page the gateway serves, against the whole platform with LettaDev.</summary>
public class ChatPageTests(PlatformFixture platform, BrowserFixture browser)
{
    private static string NewUser() => $"web-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task SignIn_NewChat_StreamedReplyAppearsAsSafeMarkdown()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.ScreenshotAsync("01-sign-in");
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("First chat");

        await chat.SendAsync("Say **bold** and `code` <img src=x onerror=alert(1)>");
        await chat.WaitForReplyDoneAsync();

        var reply = chat.LastAgentMessage;
        await Expect(reply.Locator(".body")).ToContainTextAsync("You said");
        await Expect(reply.Locator("strong")).ToHaveTextAsync("bold");
        await Expect(reply.Locator("code").First).ToHaveTextAsync("code");
        await Expect(reply.Locator(".body")).ToContainTextAsync("<img src=x onerror=alert(1)>");
        await Expect(chat.Messages.Locator("img")).ToHaveCountAsync(0);
        await Expect(reply.Locator("details.reasoning summary")).ToHaveTextAsync("Reasoning");
        await Expect(chat.Page.Locator("#session-list button[aria-current='true']")).ToHaveTextAsync("First chat");
        await chat.ScreenshotAsync("02-chat-reply");
    }

    [Fact]
    public async Task ListMyTasks_QueryTasksCardShowsTheResult()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.Page.GetByLabel("New task").FillAsync("Write the browser report");
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Add task" }).ClickAsync();
        await Expect(chat.Page.Locator("#tasks li")).ToContainTextAsync("Write the browser report");
        await chat.NewChatAsync("Tasks chat", "task-manager");

        await chat.SendAsync("list my tasks");
        await chat.WaitForReplyDoneAsync();

        var card = chat.ToolCard("query_tasks");
        await Expect(card).ToHaveAttributeAsync("data-state", "done");
        await Expect(card.Locator(".tool-result")).ToContainTextAsync("Write the browser report");
        await chat.ScreenshotAsync("03-tool-card");

        await chat.Page.GetByLabel("Write the browser report").SelectOptionAsync("done");
        await Expect(chat.Page.Locator("#stream-status")).ToContainTextAsync("is now done");
    }

    [Fact]
    public async Task PullRequest_Denied_CardShowsDeniedAndTheAgentAnswers()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Deny a PR");

        await chat.SendAsync("open a pull request in octo/hello from feature to main: Add greeting");
        var card = chat.ToolCard("create_pull_request");
        await Expect(card).ToHaveAttributeAsync("data-state", "awaiting approval");
        await Expect(card.Locator(".tool-args")).ToContainTextAsync("octo/hello");
        await Expect(chat.Page.Locator("#stream-status")).ToHaveTextAsync("Waiting for your approval.");
        await chat.ScreenshotAsync("04-approval-prompt");

        await card.GetByLabel("Reason (optional)").FillAsync("Not this week");
        await card.GetByRole(AriaRole.Button, new() { Name = "Deny" }).ClickAsync();

        await Expect(card).ToHaveAttributeAsync("data-state", "denied");
        await Expect(card.Locator(".approval")).ToHaveCountAsync(0);
        await Expect(chat.Page.Locator("#stream-status")).ToHaveTextAsync("Reply complete.");
        await chat.ScreenshotAsync("05-approval-denied");
    }

    [Fact]
    public async Task PullRequest_Approved_TheToolRunsAndTheCardShowsItsOutcome()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Approve a PR");

        await chat.SendAsync("open a pull request in octo/hello from feature to main: Add greeting");
        var card = chat.ToolCard("create_pull_request");
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(chat.Page.Locator("#stream-status")).ToHaveTextAsync("Reply complete.");
        await Expect(card.Locator(".approval")).ToHaveCountAsync(0);
        await Expect(card.Locator(".tool-result")).Not.ToBeEmptyAsync();
        if (await chat.Page.Locator("#github-status").InnerTextAsync() == "Not connected.")
        {
            // The approval reached tool-execution, whose own policy then refuses the call: the card says why.
            await Expect(card.Locator(".tool-result")).ToContainTextAsync("github_not_connected");
            await Expect(card).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(failed|denied)$"));
        }
        else
        {
            await Expect(card).ToHaveAttributeAsync("data-state", "done");
        }

        await chat.ScreenshotAsync("06-approval-approved");
    }

    [Fact]
    public async Task DroppedStream_MidReply_ReconnectsWithLastEventIdAndCompletesOnce()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Reconnect");
        await chat.Page.EvaluateAsync("() => { window.lettaTestHooks.dropStreamAfterEvents = 3; }");

        await chat.SendAsync("Tell me a long story about reconnecting streams");
        await chat.WaitForReplyDoneAsync();

        Assert.Equal(1, await chat.Page.EvaluateAsync<int>("() => window.lettaTestHooks.drops"));
        Assert.True(await chat.Page.EvaluateAsync<int>("() => window.lettaTestHooks.reconnects") >= 1);
        var text = await chat.LastAgentMessage.Locator(".body").InnerTextAsync();
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "You said: \"Tell me a long story about reconnecting streams\""));
        await Expect(chat.LastAgentMessage.Locator(".usage")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task RenameAndDelete_SessionList_Follows()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Old name");
        chat.Page.Dialog += async (_, dialog) =>
        {
            if (dialog.Type == "prompt")
            {
                await dialog.AcceptAsync("New name");
            }
            else
            {
                await dialog.AcceptAsync();
            }
        };

        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("New name");
        await Expect(chat.Page.Locator("#session-list")).ToContainTextAsync("New name");

        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("No chat open");
        await Expect(chat.Page.Locator("#session-list li")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task NarrowScreen_ChatAndPanels_FitWithoutSidewaysScrolling()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl, width: 390, height: 844);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("On a phone");
        await chat.SendAsync("Hello from a small screen");
        await chat.WaitForReplyDoneAsync();

        var overflow = await chat.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page scrolls sideways by {overflow}px");
        await chat.ScreenshotAsync("09-narrow-screen");
    }

    [Fact]
    public async Task ConnectGitHub_TokenIsNeverShownBack()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await Expect(chat.Page.Locator("#github-status")).ToHaveTextAsync("Not connected.");

        await chat.Page.GetByLabel("Personal access token").FillAsync("ghp_browsertestsecret");
        await chat.Page.GetByLabel("Allowed repositories (owner/name, one per line or comma-separated)").FillAsync("octo/hello");
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();

        // Either GitHub (or its stand-in) accepted the token, or the page explains why not; the token is gone either way.
        await Expect(chat.Page.Locator("#alert:not([hidden]), #github-status:has-text('Connected')")).ToHaveCountAsync(1);
        await Expect(chat.Page.GetByLabel("Personal access token")).ToHaveValueAsync(string.Empty);
        Assert.DoesNotContain("ghp_browsertestsecret", await chat.Page.ContentAsync(), StringComparison.Ordinal);
        await chat.ScreenshotAsync("10-github");
    }

    [Fact]
    public async Task Reload_OpenEarlierSession_ShowsItsHistoryWithToolCards()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Earlier chat", "task-manager");
        await chat.SendAsync("list my tasks");
        await chat.WaitForReplyDoneAsync();

        await chat.Page.ReloadAsync();
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Earlier chat" }).ClickAsync();

        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("Earlier chat");
        await Expect(chat.Messages.Locator("article.user .body")).ToHaveTextAsync("list my tasks");
        await Expect(chat.ToolCard("query_tasks")).ToHaveAttributeAsync("data-state", "done");
    }
}
