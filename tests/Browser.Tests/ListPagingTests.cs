using System.Net.Http.Json;
using LettaPlatform.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>Someone with more chats and tasks than one page holds can still reach all of them.</summary>
public class ListPagingTests(BrowserPlatform platform, BrowserFixture browser)
{
    [Fact]
    public async Task ChatsAndTasks_MoreThanAPage_ShowMoreLoadsTheRest()
    {
        var user = $"many-{Guid.NewGuid():N}"[..16];
        using var api = await platform.CreateUserClientAsync(user, TestContext.Current.CancellationToken);
        for (var i = 1; i <= 55; i++)
        {
            using var session = await api.PostAsJsonAsync("/api/chat/sessions", new { templateId = "task-manager", title = $"Chat {i:00}" }, TestContext.Current.CancellationToken);
            session.EnsureSuccessStatusCode();
            using var task = await api.PostAsJsonAsync("/api/tasks", new { title = $"Task {i:00}" }, TestContext.Current.CancellationToken);
            task.EnsureSuccessStatusCode();
        }

        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(user);
        var sessions = chat.Page.Locator("#session-list li");
        var tasks = chat.Page.Locator("#tasks li");
        await Expect(sessions).ToHaveCountAsync(50);
        await Expect(tasks).ToHaveCountAsync(50);

        // Both lists load at once, and the chats' second page is held back until the tasks' has arrived: the
        // later list must not pull focus away from where the person went on to (CI once saw exactly this race).
        var tasksShown = new TaskCompletionSource();
        await chat.Page.RouteAsync("**/api/chat/sessions?*cursor=*", async route =>
        {
            await tasksShown.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await route.ContinueAsync();
        });
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Show more chats" }).ClickAsync();
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Show more tasks" }).ClickAsync();

        await Expect(tasks).ToHaveCountAsync(55);
        await Expect(chat.Page.Locator("#tasks li").Nth(50).Locator("select")).ToBeFocusedAsync();
        Assert.Equal(50, await sessions.CountAsync());
        tasksShown.SetResult();
        await Expect(sessions).ToHaveCountAsync(55);
        await Expect(chat.Page.GetByRole(AriaRole.Button, new() { Name = "Show more chats" })).ToBeHiddenAsync();
        await Expect(chat.Page.GetByRole(AriaRole.Button, new() { Name = "Show more tasks" })).ToBeHiddenAsync();
        var titles = await chat.Page.Locator("#session-list li button.session-open").AllInnerTextsAsync();
        Assert.Equal(Enumerable.Range(1, 55).Select(i => $"Chat {i:00}").Order(), titles.Order());
        var taskTitles = await chat.Page.Locator("#tasks li label").AllInnerTextsAsync();
        Assert.Equal(Enumerable.Range(1, 55).Select(i => $"Task {i:00}").Order(), taskTitles.Order());
        await Expect(chat.Page.Locator("#tasks li").Nth(50).Locator("select")).ToBeFocusedAsync();
    }
}
