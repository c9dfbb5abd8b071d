using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>The tasks panel shows a task's breakdown (its subtasks in order) and progress, marks what is overdue and offers to close a finished parent.</summary>
public class TaskBreakdownPanelTests(BrowserPlatform platform, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BrokenDownTask_ShowsOrderedSubtasksProgressAndOverdue_AndOffersToCloseItWhenAllAreDone()
    {
        var user = $"plan-{Guid.NewGuid():N}"[..16];
        using var api = await platform.CreateUserClientAsync(user, Ct);
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd");
        var parent = await PostAsync(api, "/api/tasks", new { title = "Launch the website", priority = "high", dueDate = yesterday });
        var withSubtasks = await PostAsync(api, $"/api/tasks/{parent["id"]}/subtasks", new { titles = new[] { "Write copy", "Design pages", "Deploy" } });
        var subtaskIds = withSubtasks["subtasks"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToList();
        using (var done = await api.PatchAsJsonAsync($"/api/tasks/{subtaskIds[0]}", new { status = "done" }, Ct))
        {
            done.EnsureSuccessStatusCode();
        }

        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(user);

        var item = chat.Page.Locator($"#tasks > li[data-task-id='{parent["id"]}']");
        var subtasks = chat.Page.GetByRole(AriaRole.List, new() { Name = "Subtasks of Launch the website" }).Locator(":scope > li > label");
        await Expect(subtasks).ToHaveTextAsync(["Write copy", "Design pages", "Deploy"]);
        await Expect(item.Locator(":scope > .task-meta")).ToContainTextAsync("1 of 3 done");
        await Expect(item.Locator(":scope > .task-meta .overdue")).ToHaveTextAsync("overdue");
        await Expect(chat.Page.Locator("#tasks-progress")).ToHaveTextAsync("1 of 4 done · 1 overdue");
        await Expect(item.GetByRole(AriaRole.Button, new() { Name = "Close this task" })).ToHaveCountAsync(0);
        await chat.ScreenshotAsync("14-task-breakdown");

        await chat.Page.GetByLabel("Design pages", new() { Exact = true }).SelectOptionAsync("done");
        await Expect(item.Locator(":scope > .task-meta")).ToContainTextAsync("2 of 3 done");
        await chat.Page.GetByLabel("Deploy", new() { Exact = true }).SelectOptionAsync("done");

        // Every subtask done: the page offers to close the parent and leaves it open until asked.
        await Expect(item.Locator(":scope > .task-meta")).ToContainTextAsync("3 of 3 done");
        await Expect(item.Locator(":scope > .close-offer")).ToContainTextAsync("All subtasks are done.");
        await Expect(chat.Page.GetByLabel("Launch the website", new() { Exact = true })).ToHaveValueAsync("todo");
        await item.GetByRole(AriaRole.Button, new() { Name = "Close this task" }).ClickAsync();
        await Expect(chat.Page.GetByLabel("Launch the website", new() { Exact = true })).ToHaveValueAsync("done");
        await Expect(chat.Page.Locator("#tasks-progress")).ToHaveTextAsync("4 of 4 done");
        Assert.Equal("done", (await api.GetFromJsonAsync<JsonObject>($"/api/tasks/{parent["id"]}", Ct))!["status"]!.GetValue<string>());
    }

    private static async Task<JsonObject> PostAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
