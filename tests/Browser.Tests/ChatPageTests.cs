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
    public async Task PullRequest_ApprovedWithGitHubConnected_CardShowsThePullRequest()
    {
        var token = $"ghp_{Guid.NewGuid():N}";
        var repository = $"octo/web-{Guid.NewGuid():N}"[..20];
        platform.GitHub.AddToken(token, "mona");
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await ConnectGitHubAsync(chat, token, repository);
        await Expect(chat.Page.Locator("#github-status")).ToHaveTextAsync($"Connected as mona. Allowed repositories: {repository}.");
        await chat.NewChatAsync("Approve a PR");

        await chat.SendAsync($"open a pull request in {repository} from feature to main: Add greeting");
        var card = chat.ToolCard("create_pull_request");
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(chat.Page.Locator("#stream-status")).ToHaveTextAsync("Reply complete.");
        await Expect(card).ToHaveAttributeAsync("data-state", "done");
        await Expect(card.Locator(".approval")).ToHaveCountAsync(0);
        await Expect(card.Locator(".tool-result")).Not.ToBeEmptyAsync();
        Assert.Contains(platform.GitHub.PullRequests, pr => pr.Repository == repository);
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
    public async Task ConnectGitHub_RejectedThenAccepted_TokenIsNeverShownBack()
    {
        var token = $"ghp_{Guid.NewGuid():N}";
        platform.GitHub.AddToken(token, "mona");
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await Expect(chat.Page.Locator("#github-status")).ToHaveTextAsync("Not connected.");

        await ConnectGitHubAsync(chat, "ghp_notknowntogithub", "octo/hello");
        await Expect(chat.Page.Locator("#alert")).ToBeVisibleAsync();
        await Expect(chat.Page.Locator("#github-status")).ToHaveTextAsync("Not connected.");
        await Expect(chat.Page.GetByLabel("Personal access token")).ToHaveValueAsync(string.Empty);

        await ConnectGitHubAsync(chat, token, "octo/hello, octo/world");
        await Expect(chat.Page.Locator("#github-status")).ToHaveTextAsync("Connected as mona. Allowed repositories: octo/hello, octo/world.");
        await Expect(chat.Page.Locator("#alert")).ToBeHiddenAsync();
        await Expect(chat.Page.GetByLabel("Personal access token")).ToHaveValueAsync(string.Empty);
        Assert.DoesNotContain(token, await chat.Page.ContentAsync(), StringComparison.Ordinal);
        await chat.ScreenshotAsync("10-github");
    }

    [Fact]
    public async Task KeyboardOnly_SignInStartChatAndSend_EveryControlHasALabel()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        var keyboard = chat.Page.Keyboard;
        await Expect(chat.Page.GetByLabel("User name")).ToBeFocusedAsync();
        await keyboard.TypeAsync(NewUser());
        await keyboard.PressAsync("Enter");
        await Expect(chat.Page.Locator("#template option")).ToHaveCountAsync(3);

        await chat.Page.GetByLabel("Title (optional)").FocusAsync();
        await keyboard.TypeAsync("Keyboard chat");
        await keyboard.PressAsync("Tab");
        await Expect(chat.Page.GetByRole(AriaRole.Button, new() { Name = "New chat" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");
        await Expect(chat.Page.GetByLabel("Message", new() { Exact = true })).ToBeFocusedAsync();
        await keyboard.TypeAsync("open a pull request in octo/hello from feature to main: Keys");
        await keyboard.PressAsync("Enter");
        await Expect(chat.Page.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToBeFocusedAsync();

        var unlabelled = await chat.Page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('input, select, textarea, button')]
            .filter(e => e.offsetParent !== null)
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
            .map(e => e.outerHTML)");
        Assert.Empty(unlabelled);
        await Expect(chat.Page.Locator("#messages")).ToHaveAttributeAsync("aria-live", "polite");
    }

    private static async Task ConnectGitHubAsync(ChatPage chat, string token, string repositories)
    {
        await chat.Page.GetByLabel("Personal access token").FillAsync(token);
        await chat.Page.GetByLabel("Allowed repositories (owner/name, one per line or comma-separated)").FillAsync(repositories);
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
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
