using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>The development sign-in as an operator: a token with the admin role, which the admin routes accept.</summary>
public class OperatorSignInTests(BrowserPlatform platform, BrowserFixture browser)
{
    [Fact]
    public async Task DevSignIn_AsOperator_TokenCarriesTheAdminRoleAndAdminRoutesAnswer()
    {
        var user = $"ops-{Guid.NewGuid():N}"[..16];
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        var operatorBox = chat.Page.GetByLabel("Operator (admin role)");
        await Expect(operatorBox).Not.ToBeCheckedAsync();
        await chat.SignInAsync(user);
        Assert.Equal(403, await chat.StatusWithPageTokenAsync("/api/memory/overview"));

        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await operatorBox.CheckAsync();
        await chat.Page.GetByLabel("User name").FillAsync(user);
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("22-sign-in-as-operator");
        await chat.SignInAsync(user, asOperator: true);

        var roles = await chat.Page.EvaluateAsync<string>("""
            () => {
              const payload = sessionStorage.getItem('letta.token').split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
              return JSON.stringify(JSON.parse(atob(payload)).role);
            }
            """);
        Assert.Contains("admin", roles, StringComparison.Ordinal);
        Assert.Equal(200, await chat.StatusWithPageTokenAsync("/api/memory/overview"));
        // The person is still themselves: their own routes answer as before.
        Assert.Equal(200, await chat.StatusWithPageTokenAsync("/api/chat/sessions"));
    }
}
