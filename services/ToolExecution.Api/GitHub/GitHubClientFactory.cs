using Microsoft.Extensions.Options;
using Octokit;
using Octokit.Internal;

namespace LettaPlatform.ToolExecution.Api.GitHub;

/// <summary>
/// Octokit clients for the configured GitHub API, authenticated with one user's token. All share one
/// connection pool. It is deliberately not an <c>IHttpClientFactory</c> client: those get the standard
/// resilience handler, whose retries would repeat a pull-request creation behind the tool's back.
/// </summary>
public sealed class GitHubClientFactory(IOptions<GitHubOptions> options) : IDisposable
{
    private static readonly ProductHeaderValue Product = new("LettaPlatform-ToolExecution");

    private readonly SocketsHttpHandler _handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    public IGitHubClient Create(string token)
    {
        var connection = new Connection(
            Product,
            options.Value.ApiBaseUri,
            new InMemoryCredentialStore(new Credentials(token, AuthenticationType.Bearer)),
            new HttpClientAdapter(() => _handler),
            new SimpleJsonSerializer());
        connection.SetRequestTimeout(options.Value.RequestTimeout);
        return new GitHubClient(connection);
    }

    public void Dispose() => _handler.Dispose();
}
