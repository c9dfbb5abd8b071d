using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace LettaPlatform.Browser.Tests;

/// <summary>
/// The Aspire dashboard as an operator meets it: logged in with the AppHost's browser token, every resource
/// Running and healthy, and a chat turn's trace crossing the gateway, chat-api, RabbitMQ, tool-execution
/// and PostgreSQL.
/// </summary>
public class DashboardTests(BrowserPlatform platform, BrowserFixture browser)
{
    private static readonly string[] Resources =
    [
        "postgres", "chatdb", "agentsdb", "toolsdb", "memorydb", "redis", "messaging", "messaging-epmd",
        "letta", "letta-dev", "chat-api", "agent-management-api", "tool-execution-api", "memory-sync-api", "gateway",
    ];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dashboard_LoggedInWithToken_ShowsEveryResourceHealthyAndAChatTurnTracedAcrossServices()
    {
        // A turn with a tool call, under a trace id of our own (the gateway continues an incoming traceparent).
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var client = await platform.CreateUserClientAsync($"dashboard-{Guid.NewGuid():N}", Token);
        using var created = await client.PostAsJsonAsync("/api/chat/sessions", new { templateId = "task-manager" }, Token);
        var sessionId = (await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!.GetValue<string>();
        using var turn = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/sessions/{sessionId}/messages")
        {
            Content = JsonContent.Create(new { content = "create a task: Find me on the dashboard" }),
        };
        turn.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using (var answered = await client.SendAsync(turn, Token))
        {
            Assert.Equal("completed", (await answered.Content.ReadFromJsonAsync<JsonObject>(Token))!["status"]!.GetValue<string>());
        }

        await using var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1600, Height = 1100 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(platform.DashboardLoginUrl!.ToString());

        // Resources: each row's state cell says exactly "Running" (an unhealthy one says so beside it).
        await page.WaitForSelectorAsync(".resource-row .resource-name-text", new() { Timeout = 60_000 });
        Dictionary<string, string> states = [];
        for (var attempt = 0; attempt < 120; attempt++)
        {
            states = await ResourceStatesAsync(page);
            if (Resources.All(name => states.GetValueOrDefault(name) == "Running"))
            {
                break;
            }

            await page.WaitForTimeoutAsync(500);
        }

        Assert.All(Resources, name => Assert.True(states.GetValueOrDefault(name) == "Running",
            $"{name} is '{states.GetValueOrDefault(name) ?? "missing"}' on the dashboard: {string.Join(", ", states.Select(s => $"{s.Key}={s.Value}"))}"));
        // The grid paints its rows once the page has seen some input.
        await page.Mouse.MoveAsync(400, 300);
        await page.Mouse.WheelAsync(0, 100);
        await page.WaitForTimeoutAsync(500);
        await page.ScreenshotAsync(new() { Path = Path.Combine(browser.ScreenshotDirectory, "40-dashboard-resources.png") });

        // The trace: telemetry is exported in batches, so it may take a few seconds to arrive.
        var origin = new Uri(platform.DashboardLoginUrl!.GetLeftPart(UriPartial.Authority));
        var text = "";
        for (var attempt = 0; attempt < 60; attempt++)
        {
            await page.GotoAsync(new Uri(origin, $"/traces/detail/{traceId}").ToString());
            await page.WaitForTimeoutAsync(1000);
            text = await page.InnerTextAsync("body");
            if (text.Contains("execute-tool-call process", StringComparison.Ordinal) && text.Contains("toolsdb", StringComparison.Ordinal))
            {
                break;
            }
        }

        await page.ScreenshotAsync(new() { Path = Path.Combine(browser.ScreenshotDirectory, "41-dashboard-trace.png"), FullPage = true });
        Assert.Contains("POST /api/chat/", text, StringComparison.Ordinal);
        foreach (var expected in new[] { "gateway", "chat-api", "execute-tool-call", "tool-execution-api", "toolsdb", "chatdb" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }

    private static async Task<Dictionary<string, string>> ResourceStatesAsync(IPage page)
    {
        var rows = await page.Locator("tr.resource-row").AllAsync();
        var states = new Dictionary<string, string>();
        foreach (var row in rows)
        {
            var name = row.Locator(".resource-name-text");
            if (await name.CountAsync() == 1)
            {
                states[(await name.InnerTextAsync()).Trim()] = await row.Locator("td[col-index='2']").GetAttributeAsync("title") ?? "";
            }
        }

        return states;
    }
}
