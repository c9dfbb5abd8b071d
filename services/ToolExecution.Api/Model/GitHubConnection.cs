namespace LettaPlatform.ToolExecution.Api.Model;

/// <summary>A user's GitHub credential. The token is only ever stored encrypted (ASP.NET Core Data Protection).</summary>
public sealed class GitHubConnection
{
    public required string UserId { get; init; }
    public required string Login { get; set; }
    public required string ProtectedToken { get; set; }

    /// <summary><c>owner/name</c> or <c>owner/*</c>; the agent may use no other repository.</summary>
    public required List<string> AllowedRepositories { get; set; }

    public required DateTimeOffset ConnectedAt { get; set; }
}
