using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>Signing in and chatting on the page the gateway serves, against the whole platform with LettaDev.</summary>
public class ChatPageTests(BrowserPlatform platform, BrowserFixture browser)
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
        await chat.ConnectGitHubAsync(token, repository);
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

    [Theory]
    [InlineData(1400, 700)]
    [InlineData(390, 844)]
    public async Task History_MoreThanOnePage_LoadEarlierPrependsInOrderAndKeepsThePlace(int width, int height)
    {
        const int turns = 30;
        var user = NewUser();
        var ct = TestContext.Current.CancellationToken;
        using var api = await platform.CreateUserClientAsync(user, ct);
        using var created = await api.PostAsJsonAsync("/api/chat/sessions", new { templateId = "code-assistant", title = "Long chat" }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var sessionId = (await created.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!.GetValue<string>();
        for (var i = 1; i <= turns; i++)
        {
            using var turn = await api.PostAsJsonAsync($"/api/chat/sessions/{sessionId}/messages", new { content = $"Message {i:00}" }, ct);
            Assert.Equal(HttpStatusCode.OK, turn.StatusCode);
        }

        var all = (await api.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}/messages?limit=200", ct))!["items"]!.AsArray();
        Assert.True(all.Count > 50, $"the session holds {all.Count} messages, not more than one page of 50");

        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl, width, height);
        await chat.SignInAsync(user);
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Long chat" }).ClickAsync();
        var articles = chat.Messages.Locator("article");
        await Expect(articles).ToHaveCountAsync(50);
        await Expect(chat.LoadEarlierButton).ToBeVisibleAsync();
        await Expect(articles.Last).ToContainTextAsync("Message 30");
        var oldestShown = all.Skip(all.Count - 50).First(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.GetValue<string>();
        Assert.NotEqual("Message 01", oldestShown);
        await Expect(chat.Messages.Locator("article.user .body").First).ToHaveTextAsync(oldestShown);

        // Scrolled up to the oldest message shown, as someone looking for more would be.
        var before = await chat.Page.EvaluateAsync<double>(@"() => {
            const log = document.getElementById('messages');
            log.scrollTop = 0;
            document.getElementById('load-earlier').scrollIntoView({ block: 'start' });
            const first = log.firstElementChild;
            first.dataset.testAnchor = 'true';
            return first.getBoundingClientRect().top;
        }");
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync($"17-load-earlier-{width}");
        await chat.LoadEarlierButton.ClickAsync();

        await Expect(articles).ToHaveCountAsync(all.Count);
        await Expect(chat.LoadEarlierButton).ToBeHiddenAsync();
        await Expect(chat.Messages).ToBeFocusedAsync();
        await Expect(chat.Page.Locator("#stream-status")).ToHaveTextAsync($"Loaded {all.Count - 50} earlier messages; this is the start of the chat.");
        var after = await chat.Page.EvaluateAsync<double>("() => document.querySelector('#messages [data-test-anchor]').getBoundingClientRect().top");
        Assert.True(Math.Abs(after - before) < 2, $"the message read last moved from {before} to {after} px");
        Assert.True(await chat.SidewaysOverflowAsync() <= 0, "the conversation makes the page scroll sideways");
        var userMessages = await chat.Messages.Locator("article.user .body").AllInnerTextsAsync();
        Assert.Equal(Enumerable.Range(1, turns).Select(i => $"Message {i:00}"), userMessages.Select(text => text.Trim()));
    }

    [Fact]
    public async Task GitHubRepositories_TypedBeforeTheStatusLoads_AreKeptThenSaved()
    {
        var user = NewUser();
        var token = $"ghp_{Guid.NewGuid():N}";
        var ct = TestContext.Current.CancellationToken;
        platform.GitHub.AddToken(token, "mona");
        using (var api = await platform.CreateUserClientAsync(user, ct))
        {
            using var connected = await api.PutAsJsonAsync("/api/integrations/github", new { token, allowedRepositories = new[] { "octo/old" } }, ct);
            Assert.True(connected.IsSuccessStatusCode, $"PUT /api/integrations/github answered {(int)connected.StatusCode}");
        }

        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        // The start-up status answer is held back until the person has typed, which is the race that lost their text.
        var typed = new TaskCompletionSource();
        await chat.Page.RouteAsync("**/api/integrations/github", async route =>
        {
            if (route.Request.Method == "GET")
            {
                await typed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }

            await route.ContinueAsync();
        });
        var repositories = chat.Page.GetByLabel("Allowed repositories (owner/name, one per line or comma-separated)");
        await chat.SignInAsync(user);
        await repositories.FillAsync("octo/new");
        typed.SetResult();

        await Expect(chat.Page.Locator("#github-status")).ToHaveTextAsync("Connected as mona. Allowed repositories: octo/old.");
        await Expect(repositories).ToHaveValueAsync("octo/new");

        await chat.Page.GetByLabel("Personal access token").FillAsync(token);
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        await Expect(chat.Page.Locator("#github-status")).ToHaveTextAsync("Connected as mona. Allowed repositories: octo/new.");
        await Expect(repositories).ToHaveValueAsync("octo/new");

        // A field nobody touched shows what the server has.
        await chat.Page.UnrouteAllAsync();
        await chat.Page.ReloadAsync();
        await Expect(chat.Page.Locator("#github-status")).ToHaveTextAsync("Connected as mona. Allowed repositories: octo/new.");
        await Expect(repositories).ToHaveValueAsync("octo/new");
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

        await chat.ConnectGitHubAsync("ghp_notknowntogithub", "octo/hello");
        await Expect(chat.Alert).ToHaveTextAsync(
            "GitHub rejected the token. GitHub rejected this token (401 Bad credentials); send a valid personal access token. Create a new personal access token on GitHub and paste it here.");
        await Expect(chat.Page.Locator("#github-status")).ToHaveTextAsync("Not connected.");
        await Expect(chat.Page.GetByLabel("Personal access token")).ToHaveValueAsync(string.Empty);

        await chat.ConnectGitHubAsync(token, "octo/hello, octo/world");
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
        // The identity provider's button comes first; the development sign-in is one Tab away.
        await Expect(chat.Page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {platform.IdentityProviderName}" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Tab");
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
