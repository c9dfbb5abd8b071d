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
    public async Task RenameAndDelete_InlineFormAndDialog_SessionListFollows()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        var nativeDialogs = 0;
        chat.Page.Dialog += async (_, dialog) =>
        {
            nativeDialogs++;
            await dialog.DismissAsync();
        };
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Old name");
        var rename = chat.Page.GetByRole(AriaRole.Button, new() { Name = "Rename" });
        var titleField = chat.RenameForm.GetByLabel("Chat title");

        // Escape leaves the title as it was and gives focus back to Rename.
        await rename.ClickAsync();
        await Expect(titleField).ToBeFocusedAsync();
        await Expect(titleField).ToHaveValueAsync("Old name");
        await titleField.PressAsync("Escape");
        await Expect(chat.RenameForm).ToBeHiddenAsync();
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("Old name");
        await Expect(rename).ToBeFocusedAsync();

        // A refused rename is explained in words and the form stays open with the text.
        await chat.Page.RouteAsync("**/api/chat/sessions/*", async route =>
        {
            if (route.Request.Method == "PATCH")
            {
                await route.FulfillAsync(new() { Status = 404, ContentType = "application/problem+json", Body = """{"status":404,"title":"Session not found","code":"session_not_found"}""" });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await rename.ClickAsync();
        await titleField.FillAsync("Refused name");
        await titleField.PressAsync("Enter");
        // In the API's own words (its title), then what the person can do.
        await Expect(chat.RenameForm.Locator("#rename-message")).ToHaveTextAsync("Session not found. Pick another chat or start a new one.");
        await Expect(titleField).ToHaveValueAsync("Refused name");
        await chat.Page.UnrouteAllAsync();

        await titleField.FillAsync("   ");
        await chat.RenameForm.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(chat.RenameForm.Locator("#rename-message")).ToContainTextAsync("Type a title");

        await titleField.FillAsync("New name");
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("13-rename-inline");
        await titleField.PressAsync("Enter");
        await Expect(chat.RenameForm).ToBeHiddenAsync();
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("New name");
        await Expect(chat.Page.Locator("#session-list")).ToContainTextAsync("New name");
        await Expect(rename).ToBeFocusedAsync();

        // Delete asks first; Escape keeps the chat and returns focus to Delete.
        var delete = chat.Page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true });
        var dialog = chat.Page.GetByRole(AriaRole.Dialog, new() { Name = "Delete this chat?" });
        await delete.ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("\"New name\" and its whole conversation will be deleted.");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("14-delete-dialog");
        await chat.Page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(delete).ToBeFocusedAsync();
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("New name");

        // A refused delete is explained inside the dialog, which stays open to try again.
        await chat.Page.RouteAsync("**/api/chat/sessions/*", async route =>
        {
            if (route.Request.Method == "DELETE")
            {
                await route.FulfillAsync(new() { Status = 409, ContentType = "application/problem+json", Body = """{"status":409,"title":"Turn in progress","code":"turn_in_progress"}""" });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await delete.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete chat" }).ClickAsync();
        await Expect(dialog.Locator("#confirm-error")).ToHaveTextAsync("Turn in progress. Wait for the reply to finish (or cancel it), then try again.");
        await Expect(dialog).ToBeVisibleAsync();
        await chat.Page.UnrouteAllAsync();

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete chat" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("No chat open");
        await Expect(chat.Page.Locator("#session-list button")).ToHaveCountAsync(0);
        await Expect(chat.Page.Locator("#session-list")).ToHaveTextAsync("No chats yet. Pick an agent above and press New chat.");
        await Expect(chat.Page.GetByLabel("Agent")).ToBeFocusedAsync();
        Assert.Equal(0, nativeDialogs);
    }

    [Fact]
    public async Task NarrowScreen_RenameFormAndDeleteDialog_FitAndWorkByKeyboard()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl, width: 390, height: 844);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Small screen title");
        var keyboard = chat.Page.Keyboard;

        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Rename" }).FocusAsync();
        await keyboard.PressAsync("Enter");
        await Expect(chat.RenameForm.GetByLabel("Chat title")).ToBeFocusedAsync();
        await keyboard.TypeAsync("Renamed on a phone");
        Assert.True(await chat.SidewaysOverflowAsync() <= 0, "the rename form makes the page scroll sideways");
        await chat.ScreenshotAsync("15-rename-narrow");
        await keyboard.PressAsync("Enter");
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("Renamed on a phone");

        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).FocusAsync();
        await keyboard.PressAsync("Enter");
        var dialog = chat.Page.GetByRole(AriaRole.Dialog, new() { Name = "Delete this chat?" });
        await Expect(dialog).ToBeVisibleAsync();
        var box = await dialog.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"the dialog spans {box.X}..{box.X + box.Width} on a 390px screen");
        await chat.ScreenshotAsync("16-delete-dialog-narrow");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Shift+Tab");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Delete chat" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");
        await Expect(chat.Page.Locator("#chat-title")).ToHaveTextAsync("No chat open");
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

        await ConnectGitHubAsync(chat, "ghp_notknowntogithub", "octo/hello");
        await Expect(chat.Alert).ToHaveTextAsync(
            "GitHub rejected the token. GitHub rejected this token (401 Bad credentials); send a valid personal access token. Create a new personal access token on GitHub and paste it here.");
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
