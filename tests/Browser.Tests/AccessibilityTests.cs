using LettaPlatform.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>
/// The page's main screens checked with axe-core (Deque's accessibility engine, the WCAG 2.x A and AA
/// rules): names and labels for screen readers, roles, contrast, focusable dialogs.
/// </summary>
public class AccessibilityTests(BrowserPlatform platform, BrowserFixture browser)
{
    private static string NewUser() => $"a11y-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task SignInScreen_MeetsWcagAA()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await Expect(chat.Page.GetByLabel("User name")).ToBeVisibleAsync();

        Assert.Empty(await chat.AccessibilityViolationsAsync());
    }

    [Fact]
    public async Task Checker_AnUnlabelledField_IsReported()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await Expect(chat.Page.GetByLabel("User name")).ToBeVisibleAsync();
        await chat.Page.EvaluateAsync("document.getElementById('sign-in-form').append(document.createElement('input'))");

        var violations = await chat.AccessibilityViolationsAsync();

        Assert.Contains(violations, violation => violation.StartsWith("label ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChatWithToolCardApprovalAndMemory_MeetsWcagAA()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Accessible chat");
        await chat.SendAsync("Say **bold** and `code`");
        await chat.WaitForReplyDoneAsync();
        await chat.SendAsync("open a pull request in octo/hello from feature to main: Add labels");
        await Expect(chat.ToolCard("create_pull_request").GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToBeVisibleAsync();

        Assert.Empty(await chat.AccessibilityViolationsAsync());
    }

    [Fact]
    public async Task NarrowScreen_ChatAndHistoryDialog_MeetWcagAA()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl, width: 390, height: 844);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Narrow chat");
        await chat.SendAsync("hello from a phone");
        await chat.WaitForReplyDoneAsync();
        Assert.Empty(await chat.AccessibilityViolationsAsync());

        await chat.Block("human").GetByRole(AriaRole.Button, new() { Name = "History" }).ClickAsync();
        await Expect(chat.Page.Locator("#history-dialog")).ToBeVisibleAsync();
        Assert.Empty(await chat.AccessibilityViolationsAsync());
    }
}
