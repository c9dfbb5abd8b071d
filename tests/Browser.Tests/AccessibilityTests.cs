using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using LettaPlatform.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>
/// The page's main screens checked with axe-core (Deque's accessibility engine, the WCAG 2.x A and AA
/// rules): names and labels for screen readers, roles, contrast, focusable dialogs.
/// </summary>
public class AccessibilityTests(PlatformFixture platform, BrowserFixture browser)
{
    private static readonly AxeRunOptions Wcag = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    private static string NewUser() => $"a11y-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task SignInScreen_MeetsWcagAA()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await Expect(chat.Page.GetByLabel("User name")).ToBeVisibleAsync();

        await AssertNoViolationsAsync(chat.Page, "sign-in");
    }

    [Fact]
    public async Task Checker_AnUnlabelledField_IsReported()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await Expect(chat.Page.GetByLabel("User name")).ToBeVisibleAsync();
        await chat.Page.EvaluateAsync("document.getElementById('sign-in-form').append(document.createElement('input'))");

        var result = await chat.Page.RunAxe(Wcag);

        Assert.Contains(result.Violations, violation => violation.Id == "label");
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

        await AssertNoViolationsAsync(chat.Page, "chat");
    }

    [Fact]
    public async Task NarrowScreen_ChatAndHistoryDialog_MeetWcagAA()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl, width: 390, height: 844);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Narrow chat");
        await chat.SendAsync("hello from a phone");
        await chat.WaitForReplyDoneAsync();
        await AssertNoViolationsAsync(chat.Page, "narrow chat");

        await chat.Block("human").GetByRole(AriaRole.Button, new() { Name = "History" }).ClickAsync();
        await Expect(chat.Page.Locator("#history-dialog")).ToBeVisibleAsync();
        await AssertNoViolationsAsync(chat.Page, "history dialog");
    }

    private static async Task AssertNoViolationsAsync(IPage page, string screen)
    {
        var result = await page.RunAxe(Wcag);

        var violations = result.Violations.Select(violation =>
            $"{violation.Id} ({violation.Impact}): {violation.Help} — {string.Join(", ", violation.Nodes.Select(node => string.Join(' ', node.Target)))}");
        Assert.True(result.Passes.Length > 10, $"axe ran only {result.Passes.Length} passing rules on the {screen} screen");
        Assert.Empty(violations);
    }
}
