using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>
/// The code assistant's and the documentation writer's jobs in the web chat: the approval card of a proposed
/// documentation change shows its diff before the person decides (after a reload too), and a review posts
/// once approved.
/// </summary>
public class AgentJobsTests(BrowserPlatform platform, BrowserFixture browser)
{
    private static string NewUser() => $"jobs-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task DocumentationChange_CardShowsTheDiffBeforeTheDecision_AndTheApprovalOpensThePullRequest()
    {
        var repository = $"octo/page-{Guid.NewGuid():N}"[..18];
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await ConnectGitHubAsync(chat, repository);
        await chat.NewChatAsync("Docs change", "documentation");

        await chat.SendAsync($"propose a README change in {repository}: Run the tests with `dotnet test`.");

        var card = chat.ToolCard("propose_documentation_change");
        var diff = card.Locator(".tool-preview .tool-diff");
        await Expect(card).ToHaveAttributeAsync("data-state", "awaiting approval");
        await Expect(diff.Locator(".diff-file").First).ToHaveTextAsync("--- a/README.md");
        await Expect(diff.Locator(".diff-add").Last).ToHaveTextAsync("+Run the tests with `dotnet test`.");
        await Expect(card.Locator(".preview-note")).ToHaveTextAsync($"Against main of {repository}: 0 new files, 1 changed file.");
        await chat.ScreenshotAsync("40-documentation-change-diff");

        // The diff is part of the waiting approval, so it is there after a reload.
        await chat.Page.ReloadAsync();
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Docs change" }).ClickAsync();
        await Expect(diff.Locator(".diff-add").Last).ToHaveTextAsync("+Run the tests with `dotnet test`.");
        Assert.Empty(platform.GitHub.Repository(repository).GitWrites);

        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(chat.StreamStatus).ToHaveTextAsync("Reply complete.");
        await Expect(card).ToHaveAttributeAsync("data-state", "done");
        await Expect(chat.LastAgentMessage.Locator(".body")).ToContainTextAsync("I opened pull request #42: Update README.md");
        Assert.Contains(platform.GitHub.PullRequests, pr => pr.Repository == repository);
    }

    [Fact]
    public async Task Review_ApprovedInTheCard_IsPostedAndTheAgentSaysSo()
    {
        var repository = $"octo/page-{Guid.NewGuid():N}"[..18];
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await ConnectGitHubAsync(chat, repository);
        await chat.NewChatAsync("Review");

        await chat.SendAsync($"review pull request 12 in {repository}");

        await Expect(chat.ToolCard("get_pull_request")).ToHaveAttributeAsync("data-state", "done");
        var card = chat.ToolCard("post_pull_request_review");
        await Expect(card.Locator(".tool-args")).ToContainTextAsync("REQUEST_CHANGES");
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(chat.StreamStatus).ToHaveTextAsync("Reply complete.");
        await Expect(chat.LastAgentMessage.Locator(".body")).ToContainTextAsync("I posted my review of pull request #12, requesting changes, with 1 line comment");
        Assert.Single(platform.GitHub.Repository(repository).Reviews);
    }

    private async Task ConnectGitHubAsync(ChatPage chat, string repository)
    {
        var token = $"ghp_{Guid.NewGuid():N}";
        platform.GitHub.AddToken(token, "mona");
        await chat.ConnectGitHubAsync(token, repository);
        await Expect(chat.Page.Locator("#github-status")).ToHaveTextAsync($"Connected as mona. Allowed repositories: {repository}.");
    }
}
