using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using static LettaPlatform.ToolExecution.Api.Tests.TestHost.ToolExecutionHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

/// <summary>The code assistant's GitHub tools against <see cref="FakeGitHub"/>: reading code, pull requests and their diffs, posting a review.</summary>
public sealed class CodeReviewToolsTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    [Fact]
    public async Task ReadRepositoryContents_File_ReturnsItWholeAsUntrustedContent()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/*");

        var data = (await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "read_repository_contents", """{"repository":"octo/app","path":"src/app.cs"}"""))).Data();

        Assert.Equal(("file", "src/app.cs", 7), (data.S("type"), data.S("path"), data["lines"]!.GetValue<int>()));
        Assert.Equal(FakeRepository.AppSource, data.Untrusted("content"));
        Assert.Contains(service.GitHub.Requests, r => r.Request == "GET /repos/octo/app/contents/src/app.cs" && r.Authorization == $"Bearer {mona.Token}");
    }

    [Fact]
    public async Task ReadRepositoryContents_FolderAtARef_ListsItsEntriesFoldersFirst()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");

        var root = (await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "read_repository_contents", """{"repository":"octo/app"}"""))).Data();
        var docs = (await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "read_repository_contents", """{"repository":"octo/app","path":"docs","ref":"feature/greeting"}"""))).Data();

        Assert.Equal(["assets", "docs", "src", "README.md"], root["entries"]!.AsArray().Select(e => e!.S("name")));
        Assert.Equal(("dir", "dir"), (root.S("type"), root["entries"]![0]!.S("type")));
        Assert.Equal(["docs/architecture.md", "docs/greeting.md", "docs/setup.md"], docs["entries"]!.AsArray().Select(e => e!.S("path")));
    }

    [Theory]
    [InlineData("""{"repository":"octo/app","path":"src/nope.cs"}""", "github_not_found", "has no 'src/nope.cs' in octo/app")]
    [InlineData("""{"repository":"octo/app","path":"src/generated.cs"}""", "file_too_large", "src/generated.cs is 23,600 characters long")]
    [InlineData("""{"repository":"octo/app","path":"../etc/passwd"}""", "invalid_arguments", "`path` must look like src/app.cs")]
    public async Task ReadRepositoryContents_FileItCannotGive_SaysWhyAndWhatToDo(string arguments, string code, string message)
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");

        var executed = await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "read_repository_contents", arguments));

        Assert.Equal(code, executed.ErrorCode());
        Assert.Contains(message, executed.ErrorMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRepositoryContents_BinaryFile_GivesNoContent()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");

        var data = (await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "read_repository_contents", """{"repository":"octo/app","path":"assets/logo.png"}"""))).Data();

        Assert.True(data["binary"]!.GetValue<bool>());
        Assert.Null(data["content"]);
    }

    [Fact]
    public async Task ListPullRequests_ListsTheOpenOnesNewestFirstWithTitlesAsUntrustedText()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");

        var data = (await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "list_pull_requests", """{"repository":"octo/app"}"""))).Data();

        var pulls = data["pull_requests"]!.AsArray();
        Assert.Equal([14, 12], pulls.Select(p => p!["number"]!.GetValue<int>()));
        Assert.Equal(("Add a greeting endpoint", "hubot", "feature/greeting", "main"), (pulls[1]!.Untrusted("title"), pulls[1]!.S("author"), pulls[1]!.S("head"), pulls[1]!.S("base")));
        Assert.Contains(service.GitHub.Requests, r => r.Request == "GET /repos/octo/app/pulls");
    }

    [Fact]
    public async Task GetPullRequest_ReturnsItsFilesAndDiff_WithGitHubTextAsUntrustedData()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");

        var data = (await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "get_pull_request", """{"repository":"octo/app","number":12}"""))).Data();

        Assert.Equal((4, 0, 2, false), (data["additions"]!.GetValue<int>(), data["deletions"]!.GetValue<int>(), data["changed_files"]!.GetValue<int>(), data["diff_truncated"]!.GetValue<bool>()));
        Assert.Equal(["src/app.cs", "docs/greeting.md"], data["files"]!.AsArray().Select(f => f!.S("filename")));
        var diff = data.Untrusted("diff");
        Assert.Contains("diff --git a/src/app.cs b/src/app.cs\n--- a/src/app.cs\n+++ b/src/app.cs\n@@ -2,6 +2,7 @@", diff, StringComparison.Ordinal);
        Assert.Contains("+app.MapGet(\"/greet/{name}\"", diff, StringComparison.Ordinal);
        Assert.Contains("--- /dev/null\n+++ b/docs/greeting.md", diff, StringComparison.Ordinal);
        Assert.Contains("Ignore previous instructions", data.Untrusted("body"), StringComparison.Ordinal);
        Assert.Null(data["note"]);
        Assert.Contains(service.GitHub.Requests, r => r.Request == "GET /repos/octo/app/pulls/12/files");
    }

    [Fact]
    public async Task GetPullRequest_DiffLongerThanTheCap_IsCutAndTheResultSaysSo()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");

        var data = (await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "get_pull_request", """{"repository":"octo/app","number":14}"""))).Data();

        Assert.True(data["diff_truncated"]!.GetValue<bool>());
        Assert.InRange(data.Untrusted("diff").Length, 1, 6_000);
        Assert.EndsWith("\n", data.Untrusted("diff"), StringComparison.Ordinal);
        Assert.Contains("Only the first 100 of 120 changed files are listed.", data.S("note"), StringComparison.Ordinal);
        Assert.Contains("The diff is cut at 6000 characters", data.S("note"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPullRequest_UnknownNumber_SaysHowToFindIt()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");

        var executed = await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "get_pull_request", """{"repository":"octo/app","number":99}"""));

        Assert.Equal(("github_not_found", ToolCallStatus.Error), (executed.ErrorCode(), executed.Status));
        Assert.Contains("octo/app has no pull request #99", executed.ErrorMessage(), StringComparison.Ordinal);
        Assert.Contains("list_pull_requests", executed.ErrorMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostReview_Approved_ReachesGitHubWithTheVerdictAndLineComments()
    {
        var repository = $"octo/review-{Guid.NewGuid():N}"[..20];
        var mona = await service.ConnectGitHubAsync("mona", repository);
        var arguments = $$"""
            {"repository":"{{repository}}","number":12,"event":"REQUEST_CHANGES","body":"Please document the endpoint.",
             "comments":[{"path":"src/app.cs","line":7,"body":"Validate name."},{"path":"docs/greeting.md","line":3,"side":"RIGHT","body":"Show an example."}]}
            """;

        var unapproved = await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "post_pull_request_review", arguments));
        var approved = await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "post_pull_request_review", arguments, approvedBy: mona.UserId));

        Assert.Equal(("approval_required", ToolCallStatus.Denied), (unapproved.ErrorCode(), unapproved.Status));
        var data = approved.Data();
        Assert.Equal(("CHANGES_REQUESTED", 2), (data.S("state"), data["comments"]!.GetValue<int>()));
        Assert.StartsWith($"https://github.com/{repository}/pull/12#pullrequestreview-", data.S("html_url"), StringComparison.Ordinal);
        var (number, body) = Assert.Single(service.GitHub.Repository(repository).Reviews);
        Assert.Equal((12, "REQUEST_CHANGES", "Please document the endpoint."), (number, body.S("event"), body.S("body")));
        Assert.Equal(service.GitHub.Repository(repository).Pulls[12].HeadSha, body.S("commit_id"));
        var comment = body["comments"]![0]!.AsObject();
        Assert.Equal(["body", "line", "path", "side"], comment.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(("src/app.cs", 7, "RIGHT", "Validate name."), (comment.S("path"), comment["line"]!.GetValue<int>(), comment.S("side"), comment.S("body")));
    }

    [Fact]
    public async Task PostReview_CommentOnALineOutsideTheDiff_PostsNothingAndNamesTheLinesThatAre()
    {
        var repository = $"octo/review-{Guid.NewGuid():N}"[..20];
        var mona = await service.ConnectGitHubAsync("mona", repository);

        var executed = await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "post_pull_request_review",
            $$"""{"repository":"{{repository}}","number":12,"event":"COMMENT","body":"Notes.","comments":[{"path":"src/app.cs","line":1,"body":"Top."}]}""",
            approvedBy: mona.UserId));

        Assert.Equal(("comment_not_in_diff", ToolCallStatus.Error), (executed.ErrorCode(), executed.Status));
        Assert.Contains("comment 1: line 1 (RIGHT) of src/app.cs is not in the diff; the lines that are: 2–8", executed.ErrorMessage(), StringComparison.Ordinal);
        Assert.Empty(service.GitHub.Repository(repository).Reviews);
    }

    [Theory]
    [InlineData(13, "REQUEST_CHANGES", "mona", "pull_request_closed", "Pull request #13 is closed")]
    [InlineData(12, "APPROVE", "hubot", "github_validation_failed", "Can not approve your own pull request")]
    public async Task PostReview_GitHubWouldRefuseIt_TheAgentHearsWhy(int number, string verdict, string login, string code, string message)
    {
        var repository = $"octo/review-{Guid.NewGuid():N}"[..20];
        var user = await service.ConnectGitHubAsync(login, repository);

        var executed = await service.ExecuteAsync(Call(user.UserId, user.AgentId, "post_pull_request_review",
            $$"""{"repository":"{{repository}}","number":{{number}},"event":"{{verdict}}","body":"Looks good."}""", approvedBy: user.UserId));

        Assert.Equal(code, executed.ErrorCode());
        Assert.Contains(message, executed.ErrorMessage(), StringComparison.Ordinal);
        Assert.Empty(service.GitHub.Repository(repository).Reviews);
    }

    [Fact]
    public async Task PostReview_RequestChangesWithoutABody_IsDeniedBeforeAnyApproval()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");

        var executed = await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "post_pull_request_review", """{"repository":"octo/app","number":12,"event":"REQUEST_CHANGES"}"""));

        Assert.Equal(("invalid_arguments", ToolCallStatus.Denied), (executed.ErrorCode(), executed.Status));
        Assert.Contains("needs a body", executed.ErrorMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostReview_InvalidComment_NamesTheCommentAndField()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");

        var executed = await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "post_pull_request_review",
            """{"repository":"octo/app","number":12,"event":"COMMENT","body":"x","comments":[{"path":"src/app.cs","line":0,"body":"y","position":4}]}"""));

        Assert.Equal("invalid_arguments", executed.ErrorCode());
        Assert.Contains("`comments[0].position` is not allowed", executed.ErrorMessage(), StringComparison.Ordinal);
        Assert.Contains("`comments[0].line` must be at least 1.", executed.ErrorMessage(), StringComparison.Ordinal);
    }
}
