using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>
/// A person's agents as a team, in the page: the person makes a project, starts a chat with its code assistant and
/// one with its task manager (both show the project's shared memory), and the task manager hands a review to the
/// code assistant. The hand-off streams as a nested conversation in the ask_agent card; the review's approval comes
/// to the person's chat, and once approved the review is posted and the hand-off answered. Read back later, the card
/// still holds the hand-off's conversation.
/// </summary>
public class TeamTests(BrowserPlatform platform, BrowserFixture browser)
{
    [Fact]
    public async Task Project_TwoAgentsShareItsMemory_TaskManagerHandsAReviewToTheCodeAssistant_ApprovedInThePage()
    {
        var user = $"team-{Guid.NewGuid():N}"[..16];
        var repository = $"octo/page-{Guid.NewGuid():N}"[..18];
        var token = $"ghp_{Guid.NewGuid():N}";
        platform.GitHub.AddToken(token, "mona");
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(user);
        await chat.ConnectGitHubAsync(token, repository);
        await Expect(chat.Page.Locator("#github-status")).ToContainTextAsync("Connected as mona.");

        // A project, then a chat with each of its two agents: each shows the one shared project_context.
        await chat.Page.GetByLabel("Project name").FillAsync("Gemini");
        await chat.Page.GetByLabel("GitHub repository (optional)").FillAsync(repository);
        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "New project" }).ClickAsync();
        await Expect(chat.Page.Locator("#project-message")).ToContainTextAsync("Project \"Gemini\" created.");
        var projectChoice = chat.Page.GetByLabel("Project", new() { Exact = true });
        await Expect(projectChoice.Locator("option:checked")).ToHaveTextAsync("Gemini");

        await chat.NewChatAsync("Gemini code", "code-assistant");
        var shared = chat.Block("project_context").Locator(".block-shared");
        await Expect(shared).ToContainTextAsync("Shared by your agents of project Gemini");
        await Expect(chat.Block("persona").Locator(".block-shared")).ToHaveCountAsync(0);
        await projectChoice.SelectOptionAsync(new SelectOptionValue { Label = "Gemini" });
        await chat.NewChatAsync("Gemini tasks", "task-manager");
        await Expect(shared).ToContainTextAsync("Shared by your agents of project Gemini");

        var project = chat.Page.Locator("#project-list li").Filter(new() { HasTextString = "Gemini" });
        await project.Locator("summary").ClickAsync();
        await Expect(project.Locator(".project-agents li")).ToHaveCountAsync(2);
        await Expect(project.Locator(".project-agents")).ToContainTextAsync("Code assistant shares project_context");
        await Expect(project.Locator(".project-agents")).ToContainTextAsync("Task manager shares project_context");
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("42-project-shared-memory");

        // The task manager asks the code assistant: its work streams inside the ask_agent card.
        await chat.SendAsync($"ask the code assistant to review pull request 12 in {repository}");
        var ask = chat.ToolCard("ask_agent");
        var handOff = ask.Locator("details.handoff");
        await Expect(handOff).ToBeVisibleAsync();
        await Expect(handOff.Locator(":scope > summary")).ToContainTextAsync($"Hand-off to Code assistant: review pull request 12 in {repository}");
        await Expect(handOff.Locator(".tool-card[aria-label='Tool call get_pull_request']")).ToHaveAttributeAsync("data-state", "done");
        await Expect(chat.StreamStatus).ToHaveTextAsync("Waiting for your approval.");
        await Expect(handOff).ToHaveAttributeAsync("data-state", "waiting for your approval");

        // The review waits for the person, in their own chat, saying where it comes from.
        var review = chat.Page.Locator("#messages > article .tool-card[aria-label='Tool call post_pull_request_review']").Filter(new() { Has = chat.Page.Locator(".approval") });
        await Expect(review.Locator(".handoff-note")).ToContainTextAsync("Asked inside a hand-off");
        Assert.Empty(platform.GitHub.Repository(repository).Reviews);
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("43-handoff-awaiting-approval");

        await review.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(chat.StreamStatus).ToHaveTextAsync("Reply complete.");
        // The person's own turn (not the nested one inside it) ends with the task manager passing the answer on.
        await Expect(chat.Page.Locator("#messages > article.assistant").Last.Locator(":scope > .body").Last).ToContainTextAsync("The code assistant answered: I posted my review of pull request #12");
        await Expect(chat.Page.Locator("details.handoff[data-state='answered']").Last).ToBeVisibleAsync();
        var (number, _) = Assert.Single(platform.GitHub.Repository(repository).Reviews);
        Assert.Equal(12, number);
        await chat.ScreenshotAsync("44-handoff-answered");

        // Read back later, the ask_agent card holds the hand-off's own conversation.
        await chat.Page.ReloadAsync();
        await chat.OpenChatAsync("Gemini tasks");
        var readBack = chat.ToolCard("ask_agent").First.Locator("details.handoff");
        await Expect(readBack.Locator(":scope > summary")).ToContainTextAsync("Code assistant");
        await readBack.Locator(":scope > summary").ClickAsync();
        await Expect(readBack.Locator(".tool-card[aria-label='Tool call post_pull_request_review']")).ToHaveAttributeAsync("data-state", "done");
        await Expect(readBack.Locator(".body").Last).ToContainTextAsync("I posted my review of pull request #12");
        await chat.ScreenshotAsync("45-handoff-read-back");
    }
}
