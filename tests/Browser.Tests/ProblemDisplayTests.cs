using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>
/// What went wrong, in the API's own words (the problem's title and detail) followed by what the person
/// can do, never a generic sentence when the API said something specific.
/// </summary>
public class ProblemDisplayTests(BrowserPlatform platform, BrowserFixture browser)
{
    private static string NewUser() => $"err-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task ConnectGitHub_GitHubUnreachable_AlertGivesTheApiTitleDetailAndWhatToDo()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());

        // The GitHub stand-in drops the connection of this token, as an unreachable GitHub would.
        await chat.Page.GetByLabel("Personal access token").FillAsync($"ghp_unreachable{Guid.NewGuid():N}");
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();

        await Expect(chat.Alert.Locator(".problem-title")).ToHaveTextAsync("GitHub could not verify the token.");
        await Expect(chat.Alert).ToHaveTextAsync("GitHub could not verify the token. GitHub could not be reached; try again later. Try connecting again in a few minutes.");
        await Expect(chat.Page.Locator("#github-status")).ToHaveTextAsync("Not connected.");
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("23-problem-github-unreachable");
    }

    [Fact]
    public async Task Turn_AgentRuntimeReportsAnError_TheTurnShowsItsTitleAndDetail()
    {
        var user = NewUser();
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(user);
        await chat.NewChatAsync("Failing agent");
        await platform.ScriptAgentAsync(user, "code-assistant", """[{"type":"error","stop_reason":"llm_api_error","text":"The model provider is overloaded"}]""");

        await chat.SendAsync("hello?");

        var error = chat.LastAgentMessage.Locator(".turn-error");
        await Expect(error.Locator(".problem-title")).ToHaveTextAsync("The agent runtime reported an error.");
        await Expect(error).ToHaveTextAsync("The agent runtime reported an error. The model provider is overloaded. Try again in a moment.");
        await Expect(chat.StreamStatus).ToHaveTextAsync("The reply did not complete.");
        await chat.ScreenshotAsync("24-problem-turn-error");
    }

    [Fact]
    public async Task SendMessage_AgentRuntimeUnavailable_AlertSaysWhenToRetryAndTheMessageIsKept()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Letta away");
        // chat-api's answer when Letta cannot be reached (its body and Retry-After), without taking Letta away from the other tests.
        await chat.Page.RouteAsync("**/messages/stream", route => route.FulfillAsync(new()
        {
            Status = 503,
            ContentType = "application/problem+json",
            Headers = new Dictionary<string, string> { ["Retry-After"] = "5" },
            Body = """{"type":"https://lettaplatform.dev/problems/letta-unavailable","title":"The agent runtime is unavailable","status":503,"detail":"Letta cannot be reached right now; your history is still available. Try again shortly.","code":"letta_unavailable"}""",
        }));

        await chat.SendAsync("are you there?");

        await Expect(chat.Alert).ToHaveTextAsync(
            "The agent runtime is unavailable. Letta cannot be reached right now; your history is still available. Try again shortly. Send your message again shortly; your chats and history are safe. The platform suggests waiting 5 s.");
        await Expect(chat.Page.GetByLabel("Message", new() { Exact = true })).ToHaveValueAsync("are you there?");
        await Expect(chat.CancelReplyButton).ToBeHiddenAsync();
    }
}
