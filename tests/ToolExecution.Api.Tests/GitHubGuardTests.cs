using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ToolExecution.Api.GitHub;
using Microsoft.Extensions.Options;
using static LettaPlatform.ToolExecution.Api.Tests.TestHost.ToolExecutionHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

/// <summary>
/// The guard's refusals for the code assistant's and documentation writer's tools, each with its ledger
/// row: a repository the user did not allow, content over the configured caps, a write without approval.
/// The host's caps are small (<see cref="LimitedToolExecutionHost"/>) so they can be reached.
/// </summary>
public sealed class GitHubGuardTests(LimitedToolExecutionHost service) : IClassFixture<LimitedToolExecutionHost>
{
    public static TheoryData<string, string> EveryNewTool => new()
    {
        { "read_repository_contents", """{"repository":"octo/secret","path":"README.md"}""" },
        { "list_pull_requests", """{"repository":"octo/secret"}""" },
        { "get_pull_request", """{"repository":"octo/secret","number":12}""" },
        { "post_pull_request_review", """{"repository":"octo/secret","number":12,"event":"APPROVE"}""" },
        { "read_repository_docs", """{"repository":"octo/secret"}""" },
        { "propose_documentation_change", DocumentationToolsTests.Proposal("octo/secret", ("README.md", "# Secret\n")) },
    };

    [Theory]
    [MemberData(nameof(EveryNewTool))]
    public async Task ForeignRepository_IsDeniedWithoutCallingGitHub_AndAudited(string tool, string arguments)
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");
        var call = Call(mona.UserId, mona.AgentId, tool, arguments, approvedBy: mona.UserId);

        var executed = await service.ExecuteAsync(call);

        Assert.Equal(("repository_not_allowed", ToolCallStatus.Denied), (executed.ErrorCode(), executed.Status));
        Assert.Contains("octo/app", executed.ErrorMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(service.GitHub.Requests, r => r.Request.StartsWith("GET /repos/octo/secret", StringComparison.Ordinal) || r.Request.StartsWith("POST /repos/octo/secret", StringComparison.Ordinal));
        var audit = Assert.Single(await service.AuditOfAsync(mona.UserId, call.ToolCallId));
        Assert.Equal(("denied", "repository_not_allowed", mona.UserId), (audit.Decision, audit.Reason, audit.ApprovedBy));
    }

    [Theory]
    [InlineData("post_pull_request_review", """{"repository":"octo/app","number":12,"event":"APPROVE"}""")]
    [InlineData("propose_documentation_change", """{"repository":"octo/app","title":"t","files":[{"path":"README.md","content":"# New\n"}]}""")]
    public async Task WriteWithoutApproval_IsDeniedWithoutWritingToGitHub_AndAudited(string tool, string arguments)
    {
        var repository = $"octo/guard-{Guid.NewGuid():N}"[..19];
        var mona = await service.ConnectGitHubAsync("mona", repository);
        var call = Call(mona.UserId, mona.AgentId, tool, arguments.Replace("octo/app", repository, StringComparison.Ordinal));

        var executed = await service.ExecuteAsync(call);

        Assert.Equal(("approval_required", ToolCallStatus.Denied), (executed.ErrorCode(), executed.Status));
        Assert.DoesNotContain(service.GitHub.Requests, r => r.Request.StartsWith($"POST /repos/{repository}", StringComparison.Ordinal));
        Assert.Empty(service.GitHub.Repository(repository).Reviews);
        var audit = Assert.Single(await service.AuditOfAsync(mona.UserId, call.ToolCallId));
        Assert.Equal(("denied", "approval_required", (string?)null), (audit.Decision, audit.Reason, audit.ApprovedBy));
    }

    [Fact]
    public async Task ProposedChangeOverTheCap_IsDeniedBeforeGitHub_AndAudited()
    {
        var repository = $"octo/guard-{Guid.NewGuid():N}"[..19];
        var mona = await service.ConnectGitHubAsync("mona", repository);
        var call = Call(mona.UserId, mona.AgentId, "propose_documentation_change",
            DocumentationToolsTests.Proposal(repository, ("README.md", new string('a', 200)), ("docs/more.md", new string('b', 101))), approvedBy: mona.UserId);

        var executed = await service.ExecuteAsync(call);

        Assert.Equal(("change_too_large", ToolCallStatus.Denied), (executed.ErrorCode(), executed.Status));
        Assert.Contains($"hold 301 characters; one proposal may hold at most {LimitedToolExecutionHost.MaxProposedChangeChars}", executed.ErrorMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(service.GitHub.Requests, r => r.Request.Contains(repository, StringComparison.Ordinal));
        var audit = Assert.Single(await service.AuditOfAsync(mona.UserId, call.ToolCallId));
        Assert.Equal(("denied", "change_too_large"), (audit.Decision, audit.Reason));
    }

    [Fact]
    public async Task FileOverTheCap_IsRefusedNotCut_AndAudited()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");
        var call = Call(mona.UserId, mona.AgentId, "read_repository_contents", """{"repository":"octo/app","path":"src/generated.cs"}""");

        var executed = await service.ExecuteAsync(call);

        Assert.Equal(("file_too_large", ToolCallStatus.Error), (executed.ErrorCode(), executed.Status));
        Assert.Contains($"files of up to {LimitedToolExecutionHost.MaxFileChars} characters", executed.ErrorMessage(), StringComparison.Ordinal);
        var audit = Assert.Single(await service.AuditOfAsync(mona.UserId, call.ToolCallId));
        Assert.Equal(("allowed", "file_too_large", ToolCallStatus.Error), (audit.Decision, audit.Reason, audit.Status));
    }

    [Fact]
    public async Task DiffOverTheCap_IsCutToTheConfiguredSize()
    {
        var mona = await service.ConnectGitHubAsync("mona", "octo/app");

        var data = (await service.ExecuteAsync(Call(mona.UserId, mona.AgentId, "get_pull_request", """{"repository":"octo/app","number":14}"""))).Data();

        Assert.True(data["diff_truncated"]!.GetValue<bool>());
        Assert.InRange(data.Untrusted("diff").Length, 1, LimitedToolExecutionHost.MaxDiffChars);
        Assert.Contains($"The diff is cut at {LimitedToolExecutionHost.MaxDiffChars} characters: it shows 2 of 100 files whole.", data.S("note"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreviewOverTheCap_IsCutAndSaysSo()
    {
        var repository = $"octo/guard-{Guid.NewGuid():N}"[..19];
        var mona = await service.ConnectGitHubAsync("mona", repository);
        var lines = string.Concat(Enumerable.Range(1, 20).Select(i => $"Line {i:D2}.\n"));

        var preview = await service.PreviewAsync(Call(mona.UserId, mona.AgentId, "propose_documentation_change", DocumentationToolsTests.Proposal(repository, ("docs/lines.md", lines))));

        Assert.True(preview is { Available: true, Truncated: true }, preview.Note);
        Assert.InRange(preview.Text!.Length, 1, LimitedToolExecutionHost.MaxPreviewDiffChars);
        Assert.EndsWith("\n", preview.Text, StringComparison.Ordinal);
        Assert.Contains($"The diff is cut at {LimitedToolExecutionHost.MaxPreviewDiffChars} of ", preview.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(800, 100, "GitHub:MaxFileChars (800) must be at most half of ToolExecution:MaxResultChars (750).")]
    [InlineData(100, 751, "GitHub:MaxDiffChars (751) must be at most half of ToolExecution:MaxResultChars (750).")]
    public void ContentCaps_LargerThanTheResultCapAllows_FailValidation(int maxFileChars, int maxDiffChars, string failure)
    {
        var validation = new GitHubOptionsValidation(Options.Create(new ToolExecutionOptions { MaxResultChars = 1500 }));

        var result = validation.Validate(null, new GitHubOptions { MaxFileChars = maxFileChars, MaxDiffChars = maxDiffChars });

        Assert.True(result.Failed);
        Assert.Equal(failure, Assert.Single(result.Failures!));
        Assert.True(validation.Validate(null, new GitHubOptions { MaxFileChars = 750, MaxDiffChars = 750 }).Succeeded);
    }
}
