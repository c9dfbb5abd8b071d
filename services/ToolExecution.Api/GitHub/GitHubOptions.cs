using System.ComponentModel.DataAnnotations;

namespace LettaPlatform.ToolExecution.Api.GitHub;

/// <summary>Which GitHub API the tools talk to (section "GitHub").</summary>
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

    public Uri ApiBaseUri => new(ApiBaseUrl.EndsWith('/') ? ApiBaseUrl : ApiBaseUrl + "/");
}
