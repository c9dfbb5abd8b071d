using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>The chat page as a person uses it: by labels, roles and visible text.</summary>
public sealed class ChatPage(IPage page, BrowserFixture browser) : IAsyncDisposable
{
    public IPage Page => page;

    public ILocator Messages => page.Locator("#messages");

    public ILocator LastAgentMessage => page.Locator("#messages article.assistant").Last;

    public ILocator Block(string label) => page.Locator($"#blocks li[data-label='{label}']");

    /// <summary>The line under the conversation that says how the reply is going.</summary>
    public ILocator StreamStatus => page.Locator("#stream-status");

    /// <summary>The page-wide alert: what went wrong and what the person can do.</summary>
    public ILocator Alert => page.Locator("#alert");

    public ILocator CancelReplyButton => page.GetByRole(AriaRole.Button, new() { Name = "Cancel reply" });

    /// <summary>A chat in the list on the left, by its title.</summary>
    public ILocator ChatInList(string title) =>
        page.Locator("#session-list li").Filter(new() { Has = page.GetByRole(AriaRole.Button, new() { Name = title, Exact = true }) });

    /// <summary>Opens the page in a fresh browser context; <paramref name="configure"/> runs before it loads (routes, say).</summary>
    public static async Task<ChatPage> OpenAsync(BrowserFixture browser, Uri gatewayUrl, int width = 1400, int height = 900, Func<IPage, Task>? configure = null)
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = gatewayUrl.ToString(), ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        SetDefaultExpectTimeout(30_000);
        if (configure is not null)
        {
            await configure(page);
        }

        await page.GotoAsync("/");
        return new ChatPage(page, browser);
    }

    public async Task SignInAsync(string user, bool asOperator = false)
    {
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Operator (admin role)").SetCheckedAsync(asOperator);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.Locator("#who-name")).ToHaveTextAsync($"Signed in as {user}{(asOperator ? " (operator: admin role)" : "")}");
        await Expect(page.Locator("#template option")).ToHaveCountAsync(3);
    }

    /// <summary>Calls the API with the page's own token, as the page would; answers the HTTP status.</summary>
    public async Task<int> StatusWithPageTokenAsync(string path) =>
        await page.EvaluateAsync<int>(
            "async path => (await fetch(path, { headers: { Authorization: `Bearer ${sessionStorage.getItem('letta.token')}` } })).status", path);

    /// <summary>Signs in through the identity provider's own login page and waits to be back, signed in.</summary>
    public async Task SignInWithProviderAsync(string providerName, string user, string password)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = $"Sign in with {providerName}" }).ClickAsync();
        await page.GetByLabel("Username").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.Locator("#who-name")).ToHaveTextAsync($"Signed in as {user}");
        await Expect(page.Locator("#template option")).ToHaveCountAsync(3);
    }

    public async Task NewChatAsync(string title, string template = "code-assistant")
    {
        await page.GetByLabel("Agent").SelectOptionAsync(template);
        await page.GetByLabel("Title (optional)").FillAsync(title);
        await page.GetByRole(AriaRole.Button, new() { Name = "New chat" }).ClickAsync();
        await Expect(page.Locator("#chat-title")).ToHaveTextAsync(title);
        await Expect(Block("human")).ToBeVisibleAsync();
    }

    /// <summary>Fills the GitHub form with a token and the allowed repositories and presses Connect.</summary>
    public async Task ConnectGitHubAsync(string token, string repositories)
    {
        await page.GetByLabel("Personal access token").FillAsync(token);
        await page.GetByLabel("Allowed repositories (owner/name, one per line or comma-separated)").FillAsync(repositories);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
    }

    /// <summary>Opens a chat from the list on the left, by its title, and waits until it is the open one.</summary>
    public async Task OpenChatAsync(string title)
    {
        await page.Locator("#session-list").GetByRole(AriaRole.Button, new() { Name = title, Exact = true }).ClickAsync();
        await Expect(page.Locator("#chat-title")).ToHaveTextAsync(title);
    }

    public async Task SendAsync(string message)
    {
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync(message);
        await page.GetByLabel("Message", new() { Exact = true }).PressAsync("Enter");
    }

    public async Task WaitForReplyDoneAsync() =>
        await Expect(page.Locator("#stream-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Reply complete|Waiting for your approval"));

    public ILocator ToolCard(string name) => page.Locator("#messages .tool-card").Filter(new() { Has = page.Locator(".tool-name", new() { HasTextString = name }) });

    public async Task ScreenshotAsync(string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(browser.ScreenshotDirectory, $"{name}.png"), FullPage = true });

    public async Task<int> BlockVersionAsync(string label) =>
        int.Parse(await Block(label).GetAttributeAsync("data-version") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The inline form that renames the open chat.</summary>
    public ILocator RenameForm => page.Locator("#rename-form");

    /// <summary>The page's own confirmation dialog (delete a chat, restore a snapshot).</summary>
    public ILocator ConfirmDialog => page.Locator("#confirm-dialog");

    public ILocator LoadEarlierButton => page.GetByRole(AriaRole.Button, new() { Name = "Load earlier messages" });

    /// <summary>
    /// What axe-core (the WCAG 2.1 A and AA rules) finds wrong with the page as it is now, one line per
    /// rule, starting with the rule's id. Fails if axe passed so few rules that it cannot have looked.
    /// </summary>
    public async Task<IReadOnlyList<string>> AccessibilityViolationsAsync()
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.True(result.Passes.Length > 10, $"axe ran only {result.Passes.Length} passing rules");
        return [.. result.Violations.Select(violation =>
            $"{violation.Id} ({violation.Impact}): {violation.Help} — {string.Join(", ", violation.Nodes.Select(node => string.Join(' ', node.Target)))}")];
    }

    /// <summary>How far the page scrolls sideways (0 or less: it fits the viewport).</summary>
    public async Task<int> SidewaysOverflowAsync() =>
        await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");

    public async ValueTask DisposeAsync() => await page.Context.CloseAsync();
}
