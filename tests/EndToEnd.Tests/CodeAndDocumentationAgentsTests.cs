using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.TestInfrastructure;
using LettaPlatform.Testing;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>
/// The code assistant and the documentation writer doing their jobs through the gateway, against LettaDev
/// and the GitHub stand-in, written with the agent test kit (LettaPlatform.Testing): the code assistant reads
/// a pull request's diff and posts a review once the person approves it; the documentation writer reads the
/// README and proposes a change to it as a pull request (branch, commit, pull request) once the person has
/// seen its diff and approved it.
/// </summary>
public sealed class CodeAndDocumentationAgentsTests(EndToEndPlatform platform)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CodeAssistant_ReviewsAPullRequest_ReadsTheDiffAndPostsTheReviewAfterApproval()
    {
        var repository = $"octo/review-{Guid.NewGuid():N}"[..20];
        await using var agent = await CreateAgentAsync("code-assistant");
        await ConnectGitHubAsync(agent, repository);

        var asked = await agent.SendAsync($"review pull request 12 in {repository}", Token);

        var read = asked.ShouldCallToolSuccessfully("get_pull_request", new { number = 12 });
        Assert.Contains("+app.MapGet(\\\"/greet/{name}\\\"", read.Result!.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        var approval = asked.ShouldAwaitApproval("post_pull_request_review");
        var review = approval.Arguments;
        Assert.Equal(("REQUEST_CHANGES", "src/app.cs", 6), (review["event"]!.GetValue<string>(), review["comments"]![0]!["path"]!.GetValue<string>(), review["comments"]![0]!["line"]!.GetValue<int>()));
        Assert.Empty(platform.GitHub.Repository(repository).Reviews);

        var answered = await agent.ApproveAsync(approval, Token);

        answered.ShouldComplete().ShouldRunApprovedCall(approval);
        Assert.StartsWith($"I posted my review of pull request #12, requesting changes, with 1 line comment (https://github.com/{repository}/pull/12#pullrequestreview-", answered.Reply, StringComparison.Ordinal);
        var (number, posted) = Assert.Single(platform.GitHub.Repository(repository).Reviews);
        Assert.Equal((12, "REQUEST_CHANGES"), (number, posted["event"]!.GetValue<string>()));
        Assert.Equal(platform.GitHub.Repository(repository).Pulls[12].HeadSha, posted["commit_id"]!.GetValue<string>());
        Assert.StartsWith("Reviewed #12 (2 files, +4 −0) against my checklist:", posted["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("src/app.cs", 6, "RIGHT"), (posted["comments"]![0]!["path"]!.GetValue<string>(), posted["comments"]![0]!["line"]!.GetValue<int>(), posted["comments"]![0]!["side"]!.GetValue<string>()));

        var audit = await AuditAsync(agent);
        Assert.Equal(["get_pull_request", "post_pull_request_review"], audit.Where(e => e["decision"]!.GetValue<string>() == "allowed").Select(e => e["tool"]!.GetValue<string>()));
        Assert.Equal(agent.UserId, audit.Single(e => e["tool"]!.GetValue<string>() == "post_pull_request_review")["approvedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task DocumentationWriter_ProposesAReadmeChange_ShowsItsDiffAndOpensThePullRequestAfterApproval()
    {
        var repository = $"octo/docs-{Guid.NewGuid():N}"[..18];
        const string addition = "Run the tests with `dotnet test`.";
        await using var agent = await CreateAgentAsync("documentation");
        await ConnectGitHubAsync(agent, repository);

        var asked = await agent.SendAsync($"propose a README change in {repository}: {addition}", Token);

        asked.ShouldCallToolSuccessfully("read_repository_docs", new { repository });
        var approval = asked.ShouldAwaitApproval("propose_documentation_change");
        var preview = approval.Preview!;
        Assert.Equal(("diff", false), (preview["kind"]!.GetValue<string>(), preview["truncated"]!.GetValue<bool>()));
        Assert.Equal("--- a/README.md\n+++ b/README.md\n@@ -5,3 +5,5 @@\n ## Setup\n \n Run `dotnet run`.\n+\n+" + addition + "\n", preview["text"]!.GetValue<string>());
        Assert.Equal($"Against main of {repository}: 0 new files, 1 changed file.", preview["note"]!.GetValue<string>());
        var session = (await agent.User.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{agent.SessionId}", Token))!;
        Assert.Equal(preview["text"]!.GetValue<string>(), session["pendingApproval"]!["preview"]!["text"]!.GetValue<string>());
        Assert.Empty(platform.GitHub.Repository(repository).GitWrites);

        var answered = await agent.ApproveAsync(approval, Token);

        answered.ShouldComplete().ShouldRunApprovedCall(approval);
        var github = platform.GitHub.Repository(repository);
        Assert.Equal(["POST /git/trees", "POST /git/commits", "POST /git/refs"], github.GitWrites.Select(w => w.Request));
        var branch = github.GitWrites.Last().Body["ref"]!.GetValue<string>()["refs/heads/".Length..];
        Assert.StartsWith("docs/update-readme-md-", branch, StringComparison.Ordinal);
        Assert.Equal($"{FakeRepository.Readme.TrimEnd('\n')}\n\n{addition}\n", github.FileAt(branch, "README.md"));
        Assert.Equal(FakeRepository.Readme, github.FileAt("main", "README.md"));
        var pullRequest = Assert.Single(platform.GitHub.PullRequests, pr => pr.Repository == repository).Body;
        Assert.Equal((branch, "main", "Update README.md"), (pullRequest["head"]!.GetValue<string>(), pullRequest["base"]!.GetValue<string>(), pullRequest["title"]!.GetValue<string>()));
        answered.ShouldReply($"I opened pull request #42: Update README.md, proposing changes to README.md on branch {branch} (https://github.com/{repository}/pull/42).");

        var audit = await AuditAsync(agent);
        Assert.Equal(
            [("read_repository_docs", "allowed"), ("propose_documentation_change", "previewed"), ("propose_documentation_change", "allowed")],
            audit.Select(e => (e["tool"]!.GetValue<string>(), e["decision"]!.GetValue<string>())));
    }

    // The platform is the suite's own (two replicas of each service); the kit reads where it is from the AppHost.
    private async Task<TestAgent> CreateAgentAsync(string template) =>
        await new AgentTestKit(await TestPlatform.ConnectionOfAsync(platform.App, Token)).CreateAgentAsync(template, cancellationToken: Token);

    /// <summary>Connects a GitHub token, registered at the platform's GitHub stand-in as mona, allowing <paramref name="repository"/>.</summary>
    private async Task ConnectGitHubAsync(TestAgent agent, string repository)
    {
        var token = $"ghp_{Guid.NewGuid():N}{Guid.NewGuid():N}"[..40];
        platform.GitHub.AddToken(token, "mona");
        using var response = await agent.User.PutAsJsonAsync("/api/integrations/github", new { token, allowedRepositories = new[] { repository } }, Token);
        Assert.True(response.IsSuccessStatusCode, $"connect GitHub: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Token)}");
    }

    /// <summary>The audit ledger of the agent's chat, oldest first.</summary>
    private static async Task<List<JsonObject>> AuditAsync(TestAgent agent) =>
        [.. (await agent.User.GetFromJsonAsync<JsonObject>($"/api/tool-executions?sessionId={agent.SessionId}", Token))!["items"]!.AsArray()
            .Select(e => e!.AsObject()).Reverse()];
}
