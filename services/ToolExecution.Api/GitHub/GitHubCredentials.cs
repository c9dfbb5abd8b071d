using System.Text.RegularExpressions;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.Model;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace LettaPlatform.ToolExecution.Api.GitHub;

/// <summary>A user's GitHub connection with the token decrypted; lives only for the call that needs it.</summary>
public sealed record GitHubAccess(string Login, string Token, IReadOnlyList<string> AllowedRepositories)
{
    public bool Allows(string repository) => GitHubCredentials.IsAllowed(AllowedRepositories, repository);
}

/// <summary>
/// Stores and reads users' GitHub tokens. A token is encrypted with ASP.NET Core Data Protection under a
/// purpose that includes the user id, so a ciphertext is useless for any other user; the key ring is
/// kept in Redis, which every replica shares. Tokens are never logged and never leave this class
/// except to authenticate a request to GitHub.
/// </summary>
public sealed partial class GitHubCredentials(ToolExecutionDbContext db, IDataProtectionProvider dataProtection, TimeProvider timeProvider)
{
    private const string Purpose = "LettaPlatform.ToolExecution.GitHubToken.v1";

    public Task<GitHubConnection?> FindAsync(string userId, CancellationToken cancellationToken) =>
        db.GitHubConnections.AsNoTracking().SingleOrDefaultAsync(c => c.UserId == userId, cancellationToken);

    public async Task<GitHubAccess?> GetAccessAsync(string userId, CancellationToken cancellationToken)
    {
        var connection = await FindAsync(userId, cancellationToken);
        return connection is null
            ? null
            : new GitHubAccess(connection.Login, Protector(userId).Unprotect(connection.ProtectedToken), connection.AllowedRepositories);
    }

    public async Task SaveAsync(string userId, string token, string login, IReadOnlyList<string> allowedRepositories, CancellationToken cancellationToken)
    {
        var protectedToken = Protector(userId).Protect(token);
        var connection = await db.GitHubConnections.SingleOrDefaultAsync(c => c.UserId == userId, cancellationToken);
        if (connection is null)
        {
            db.GitHubConnections.Add(new GitHubConnection
            {
                UserId = userId,
                Login = login,
                ProtectedToken = protectedToken,
                AllowedRepositories = [.. allowedRepositories],
                ConnectedAt = timeProvider.GetUtcNow(),
            });
        }
        else
        {
            connection.Login = login;
            connection.ProtectedToken = protectedToken;
            connection.AllowedRepositories = [.. allowedRepositories];
            connection.ConnectedAt = timeProvider.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string userId, CancellationToken cancellationToken) =>
        await db.GitHubConnections.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <summary><c>owner/name</c> or <c>owner/*</c> (every repository of that owner).</summary>
    public static bool IsValidAllowedEntry(string entry) => AllowedEntry().IsMatch(entry);

    public static bool IsAllowed(IEnumerable<string> allowed, string repository)
    {
        var owner = repository.Split('/')[0];
        return allowed.Any(entry =>
            string.Equals(entry, repository, StringComparison.OrdinalIgnoreCase)
            || string.Equals(entry, $"{owner}/*", StringComparison.OrdinalIgnoreCase));
    }

    private IDataProtector Protector(string userId) => dataProtection.CreateProtector(Purpose, userId);

    [GeneratedRegex("^[A-Za-z0-9-]+/([A-Za-z0-9._-]+|\\*)$")]
    private static partial Regex AllowedEntry();
}
