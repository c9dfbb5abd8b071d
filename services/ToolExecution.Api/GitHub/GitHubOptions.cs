using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace LettaPlatform.ToolExecution.Api.GitHub;

/// <summary>Which GitHub API the tools talk to, and how much content they move (section "GitHub").</summary>
public sealed class GitHubOptions
{
    public const string SectionName = "GitHub";

    /// <summary>
    /// The REST API root, ending in a slash: <c>https://api.github.com/</c>, or
    /// <c>https://github.example.com/api/v3/</c> for GitHub Enterprise Server.
    /// </summary>
    [Required, Url]
    public string ApiBaseUrl { get; set; } = "https://api.github.com/";

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest file (characters) <c>read_repository_contents</c> and <c>read_repository_docs</c> hand the agent.
    /// A longer file is refused (<c>file_too_large</c>), never cut: an agent that edits a file it saw only
    /// in part would drop the rest. At most half of <c>ToolExecution:MaxResultChars</c> (JSON escaping).
    /// </summary>
    [Range(100, 500_000)]
    public int MaxFileChars { get; set; } = 7_000;

    /// <summary>The longest pull-request diff (characters) <c>get_pull_request</c> returns; a longer one is cut, and the result says so.</summary>
    [Range(100, 500_000)]
    public int MaxDiffChars { get; set; } = 6_000;

    /// <summary>The most text (characters, all files together) one <c>propose_documentation_change</c> may commit; more is refused (<c>change_too_large</c>).</summary>
    [Range(100, 1_000_000)]
    public int MaxProposedChangeChars { get; set; } = 40_000;

    /// <summary>The longest diff (characters) shown to the person who approves a proposed change; a longer one is cut, and the card says so.</summary>
    [Range(100, 1_000_000)]
    public int MaxPreviewDiffChars { get; set; } = 20_000;

    public Uri ApiBaseUri => new(ApiBaseUrl.EndsWith('/') ? ApiBaseUrl : ApiBaseUrl + "/");
}

/// <summary>
/// The content caps must fit the guard's result cap: a file or diff the tool returns is JSON-escaped
/// inside the result, which may nearly double it, so each is at most half of <c>ToolExecution:MaxResultChars</c>.
/// </summary>
public sealed class GitHubOptionsValidation(IOptions<ToolExecutionOptions> toolExecution) : IValidateOptions<GitHubOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
    {
        var room = toolExecution.Value.MaxResultChars / 2;
        var failures = new List<string>();
        if (options.MaxFileChars > room)
        {
            failures.Add($"GitHub:MaxFileChars ({options.MaxFileChars}) must be at most half of ToolExecution:MaxResultChars ({room}).");
        }

        if (options.MaxDiffChars > room)
        {
            failures.Add($"GitHub:MaxDiffChars ({options.MaxDiffChars}) must be at most half of ToolExecution:MaxResultChars ({room}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
