using System.Text.Json.Nodes;
using LettaPlatform.TestInfrastructure;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>
/// The code assistant and the documentation writer doing their jobs through the gateway, against LettaDev
/// and the GitHub stand-in: the code assistant reads a pull request's diff and posts a review once the
/// person approves it; the documentation writer reads the README and proposes a change to it as a pull
/// request (branch, commit, pull request) once the person has seen its diff and approved it.
/// </summary>
public sealed class CodeAndDocumentationAgentsTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task CodeAssistant_ReviewsAPullRequest_ReadsTheDiffAndPostsTheReviewAfterApproval()
    {
        var repository = $"octo/review-{Guid.NewGuid():N}"[..20];
        using var chat = await AgentSession.StartAsync(platform, "code-assistant");
        await chat.ConnectGitHubAsync(platform.GitHub, "mona", repository);

        var asked = await chat.SayAsync($"review pull request 12 in {repository}");

        var read = asked.ResultOf("get_pull_request");
        Assert.Equal("success", read.Str("status"));
        Assert.Contains("+app.MapGet(\\\"/greet/{name}\\\"", read.Str("result"), StringComparison.Ordinal);
        var approval = asked.Approval;
        Assert.Equal("post_pull_request_review", approval.Str("name"));
        var review = JsonNode.Parse(approval.Str("arguments"))!;
        Assert.Equal(("REQUEST_CHANGES", "src/app.cs", 6), (review["event"]!.GetValue<string>(), review["comments"]![0]!["path"]!.GetValue<string>(), review["comments"]![0]!["line"]!.GetValue<int>()));
        Assert.Empty(platform.GitHub.Repository(repository).Reviews);

        var answered = await chat.ApproveAsync(approval);

        Assert.Equal("success", answered.ResultOf(approval).Str("status"));
        Assert.Equal("completed", answered.Status);
        Assert.StartsWith($"I posted my review of pull request #12, requesting changes, with 1 line comment (https://github.com/{repository}/pull/12#pullrequestreview-", answered.Reply, StringComparison.Ordinal);
        var (number, posted) = Assert.Single(platform.GitHub.Repository(repository).Reviews);
        Assert.Equal((12, "REQUEST_CHANGES"), (number, posted["event"]!.GetValue<string>()));
        Assert.Equal(platform.GitHub.Repository(repository).Pulls[12].HeadSha, posted["commit_id"]!.GetValue<string>());
        Assert.StartsWith("Reviewed #12 (2 files, +4 −0) against my checklist:", posted["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("src/app.cs", 6, "RIGHT"), (posted["comments"]![0]!["path"]!.GetValue<string>(), posted["comments"]![0]!["line"]!.GetValue<int>(), posted["comments"]![0]!["side"]!.GetValue<string>()));

        var audit = await chat.AuditAsync();
        Assert.Equal(["get_pull_request", "post_pull_request_review"], audit.Where(e => e["decision"]!.GetValue<string>() == "allowed").Select(e => e["tool"]!.GetValue<string>()));
        Assert.Equal(chat.UserId, audit.Single(e => e["tool"]!.GetValue<string>() == "post_pull_request_review")["approvedBy"]!.GetValue<string>());
    }

    [Fact]
    public async Task DocumentationWriter_ProposesAReadmeChange_ShowsItsDiffAndOpensThePullRequestAfterApproval()
    {
        var repository = $"octo/docs-{Guid.NewGuid():N}"[..18];
        const string addition = "Run the tests with `dotnet test`.";
        using var chat = await AgentSession.StartAsync(platform, "documentation");
        await chat.ConnectGitHubAsync(platform.GitHub, "mona", repository);

        var asked = await chat.SayAsync($"propose a README change in {repository}: {addition}");

        Assert.Equal("success", asked.ResultOf("read_repository_docs").Str("status"));
        var approval = asked.Approval;
        Assert.Equal("propose_documentation_change", approval.Str("name"));
        var preview = approval.Data["preview"]!;
        Assert.Equal(("diff", false), (preview["kind"]!.GetValue<string>(), preview["truncated"]!.GetValue<bool>()));
        Assert.Equal("--- a/README.md\n+++ b/README.md\n@@ -5,3 +5,5 @@\n ## Setup\n \n Run `dotnet run`.\n+\n+" + addition + "\n", preview["text"]!.GetValue<string>());
        Assert.Equal($"Against main of {repository}: 0 new files, 1 changed file.", preview["note"]!.GetValue<string>());
        Assert.Equal(preview["text"]!.GetValue<string>(), (await chat.GetAsync())["pendingApproval"]!["preview"]!["text"]!.GetValue<string>());
        Assert.Empty(platform.GitHub.Repository(repository).GitWrites);

        var answered = await chat.ApproveAsync(approval);

        Assert.Equal(("success", "completed"), (answered.ResultOf(approval).Str("status"), answered.Status));
        var github = platform.GitHub.Repository(repository);
        Assert.Equal(["POST /git/trees", "POST /git/commits", "POST /git/refs"], github.GitWrites.Select(w => w.Request));
        var branch = github.GitWrites.Last().Body["ref"]!.GetValue<string>()["refs/heads/".Length..];
        Assert.StartsWith("docs/update-readme-md-", branch, StringComparison.Ordinal);
        Assert.Equal($"{FakeRepository.Readme.TrimEnd('\n')}\n\n{addition}\n", github.FileAt(branch, "README.md"));
        Assert.Equal(FakeRepository.Readme, github.FileAt("main", "README.md"));
        var pullRequest = Assert.Single(platform.GitHub.PullRequests, pr => pr.Repository == repository).Body;
        Assert.Equal((branch, "main", "Update README.md"), (pullRequest["head"]!.GetValue<string>(), pullRequest["base"]!.GetValue<string>(), pullRequest["title"]!.GetValue<string>()));
        Assert.Equal($"I opened pull request #42: Update README.md, proposing changes to README.md on branch {branch} (https://github.com/{repository}/pull/42).", answered.Reply);

        var audit = await chat.AuditAsync();
        Assert.Equal(
            [("read_repository_docs", "allowed"), ("propose_documentation_change", "previewed"), ("propose_documentation_change", "allowed")],
            audit.Select(e => (e["tool"]!.GetValue<string>(), e["decision"]!.GetValue<string>())));
    }
}
