using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using static LettaPlatform.ToolExecution.Api.Tests.TestHost.ToolExecutionHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

/// <summary>The documentation writer's tools against <see cref="FakeGitHub"/>: reading the docs, previewing and proposing a change as a pull request.</summary>
public sealed class DocumentationToolsTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    private const string NewReadme = "# Hello\n\nA small web app used to test the platform.\n\n## Setup\n\nInstall the .NET 10 SDK, then run `dotnet run`.\n";

    [Fact]
    public async Task ReadRepositoryDocs_ReturnsTheReadmeWholeAndTheDocsFolder()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");

        var data = (await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "read_repository_docs", """{"repository":"octo/app"}"""))).Data();

        Assert.Equal(("README.md", FakeRepository.Readme), (data["readme"]!.S("path"), data["readme"]!.Untrusted("content")));
        Assert.Equal(["docs/architecture.md", "docs/setup.md"], data["docs"]!.AsArray().Select(e => e!.S("path")));
        Assert.Contains(service.GitHub.Requests, r => r.Request == "GET /repos/octo/app/readme");
        Assert.Contains(service.GitHub.Requests, r => r.Request == "GET /repos/octo/app/contents/docs");
    }

    [Fact]
    public async Task ProposeChange_Approved_CommitsOnANewBranchAndOpensAPullRequest()
    {
        var repository = $"octo/docs-{Guid.NewGuid():N}"[..18];
        var mona = await service.ConnectGitHubAsync("mona", repository);
        var arguments = Proposal(repository, ("README.md", NewReadme), ("docs/faq.md", "# FAQ\n\nAsk in the chat.\n"));

        var unapproved = await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "propose_documentation_change", arguments));
        Assert.Equal(("approval_required", ToolCallStatus.Denied), (unapproved.ErrorCode(), unapproved.Status));
        Assert.Empty(service.GitHub.Repository(repository).GitWrites);

        var data = (await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "propose_documentation_change", arguments, approvedBy: mona.UserId))).Data();

        var fake = service.GitHub.Repository(repository);
        var branch = data.S("branch");
        Assert.StartsWith("docs/document-the-sdk-version-", branch, StringComparison.Ordinal);
        Assert.Equal((42, "main", $"https://github.com/{repository}/pull/42"), (data["number"]!.GetValue<int>(), data.S("base"), data.S("html_url")));
        Assert.Equal(["POST /git/trees", "POST /git/commits", "POST /git/refs"], fake.GitWrites.Select(w => w.Request));
        var tree = fake.GitWrites.First().Body;
        Assert.Equal(fake.Commit(FakeRepository.MainCommit)!.TreeSha, tree.S("base_tree"));
        Assert.All(tree["tree"]!.AsArray(), e => Assert.Equal(("100644", "blob", false), (e!.S("mode"), e!.S("type"), e!.AsObject().ContainsKey("sha"))));
        var commit = fake.GitWrites.ElementAt(1).Body;
        Assert.Equal(("Document the SDK version", FakeRepository.MainCommit), (commit.S("message"), commit["parents"]![0]!.GetValue<string>()));
        Assert.Equal($"refs/heads/{branch}", fake.GitWrites.Last().Body.S("ref"));
        Assert.Equal((NewReadme, "# FAQ\n\nAsk in the chat.\n", FakeRepository.AppSource),
            (fake.FileAt(branch, "README.md"), fake.FileAt(branch, "docs/faq.md"), fake.FileAt(branch, "src/app.cs")));
        Assert.Equal(FakeRepository.Readme, fake.FileAt("main", "README.md"));
        var pr = Assert.Single(service.GitHub.PullRequests, p => p.Repository == repository).Body;
        Assert.Equal((branch, "main", "Document the SDK version", "The README now names the SDK."), (pr.S("head"), pr.S("base"), pr.S("title"), pr.S("body")));
    }

    [Fact]
    public async Task Preview_ShowsTheUnifiedDiffOfTheProposedFiles_AndIsAudited()
    {
        var repository = $"octo/docs-{Guid.NewGuid():N}"[..18];
        var mona = await service.ConnectGitHubAsync("mona", repository);
        var call = Call(mona.UserId, mona.AgentId, "propose_documentation_change", Proposal(repository, ("README.md", NewReadme), ("docs/faq.md", "# FAQ\n")));

        var preview = await service.PreviewAsync(call);

        Assert.True(preview.Available, preview.Note);
        Assert.Equal((ToolPreviewKinds.Diff, false), (preview.Kind, preview.Truncated));
        Assert.Equal(
            "--- a/README.md\n+++ b/README.md\n@@ -4,4 +4,4 @@\n \n ## Setup\n \n-Run `dotnet run`.\n+Install the .NET 10 SDK, then run `dotnet run`.\n"
            + "--- /dev/null\n+++ b/docs/faq.md\n@@ -0,0 +1 @@\n+# FAQ\n",
            preview.Text);
        Assert.Equal($"Against main of {repository}: 1 new file, 1 changed file.", preview.Note);
        Assert.Empty(service.GitHub.Repository(repository).GitWrites);
        var audit = Assert.Single(await service.AuditOfAsync(mona.UserId, call.ToolCallId));
        Assert.Equal(("previewed", ToolCallStatus.Success), (audit.Decision, audit.Status));
    }

    [Fact]
    public async Task ProposeChange_ToACodeFile_IsRefusedAsNotDocumentation_InPreviewAndRun()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");
        var call = Call(mona.UserId, mona.AgentId, "propose_documentation_change", Proposal("octo/app", ("README.md", NewReadme), ("src/app.cs", "// gone\n")), approvedBy: mona.UserId);

        var preview = await service.PreviewAsync(call);
        var executed = await service.ExecuteAsync(call);

        Assert.False(preview.Available);
        Assert.Contains("not_documentation", preview.Note, StringComparison.Ordinal);
        Assert.Equal(("not_documentation", ToolCallStatus.Denied), (executed.ErrorCode(), executed.Status));
        Assert.Contains("src/app.cs is not documentation", executed.ErrorMessage(), StringComparison.Ordinal);
        Assert.Equal([("denied", "not_documentation"), ("denied", "not_documentation")], (await service.AuditOfAsync(mona.UserId, call.ToolCallId)).Select(e => (e.Decision, e.Reason)));
    }

    [Fact]
    public async Task ProposeChange_BranchThatExists_FailsAndSaysSo()
    {
        var repository = $"octo/docs-{Guid.NewGuid():N}"[..18];
        var mona = await service.ConnectGitHubAsync("mona", repository);
        var arguments = JsonNode.Parse(Proposal(repository, ("README.md", NewReadme)))!.AsObject();
        arguments["branch"] = "feature/greeting";

        var executed = await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "propose_documentation_change", arguments.ToJsonString(), approvedBy: mona.UserId));

        Assert.Equal(("github_validation_failed", ToolCallStatus.Error), (executed.ErrorCode(), executed.Status));
        Assert.Contains("The branch feature/greeting could not be created", executed.ErrorMessage(), StringComparison.Ordinal);
        Assert.Contains("Reference already exists", executed.ErrorMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(service.GitHub.PullRequests, p => p.Repository == repository);
    }

    internal static string Proposal(string repository, params (string Path, string Content)[] files) => new JsonObject
    {
        ["repository"] = repository,
        ["title"] = "Document the SDK version",
        ["body"] = "The README now names the SDK.",
        ["files"] = new JsonArray([.. files.Select(f => (JsonNode)new JsonObject { ["path"] = f.Path, ["content"] = f.Content })]),
    }.ToJsonString();
}
