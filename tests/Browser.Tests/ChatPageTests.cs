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
}
