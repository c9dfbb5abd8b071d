using System.CommandLine;
using System.Text.Json;
using LettaPlatform.Cli.Platform;
using LettaPlatform.Cli.Rollouts;
using LettaPlatform.Cli.Templates;

namespace LettaPlatform.Cli;

/// <summary>A command line that cannot be run as given (a missing URL or token, options that need each other).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// What every command shares: where it writes, the platform's address and token (options or environment
/// variables; the token is never printed), and one translation of failures into messages and exit codes.
/// </summary>
public sealed class CliContext(TextWriter output, TextWriter error)
{
    public const string UrlVariable = "LETTA_PLATFORM_URL";
    public const string TokenVariable = "LETTA_PLATFORM_TOKEN";

    // No default value factories: help would print their values, and one of them is the token.
    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The platform's gateway, e.g. https://chat.example.com (default: ${UrlVariable})",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"An access token with the admin role (default: ${TokenVariable}; never printed)",
        Recursive = true,
    };

    public TextWriter Output => output;

    public TextWriter Error => error;

    /// <summary>Runs a command that talks to the platform.</summary>
    public Task<int> RunAsync(ParseResult parseResult, Func<PlatformClient, Task<int>> action, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            using var platform = PlatformClient.Create(PlatformUrl(parseResult), PlatformToken(parseResult));
            try
            {
                return await action(platform);
            }
            catch (HttpRequestException ex)
            {
                await error.WriteLineAsync($"error: the platform at {platform.BaseAddress} could not be reached: {ex.Message}");
                return ExitCodes.Unreachable;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync($"error: the platform at {platform.BaseAddress} did not answer in time.");
                return ExitCodes.Unreachable;
            }
        }, cancellationToken);

    /// <summary>Runs a command (also one that needs no platform) with the shared failure handling.</summary>
    public async Task<int> RunAsync(Func<Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action();
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (TemplateFileException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.InvalidTemplates;
        }
        catch (PlatformException ex)
        {
            await error.WriteLineAsync($"error: {ex.Request} answered {ex.Message}");
            return ex.IsUnauthorized ? ExitCodes.Unauthorized : ExitCodes.RequestFailed;
        }
        catch (WatchTimedOutException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.WatchTimedOut;
        }
        catch (JsonException ex)
        {
            await error.WriteLineAsync($"error: the platform's answer was not what this version of lettactl understands: {ex.Message}");
            return ExitCodes.RequestFailed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("cancelled: what the platform was asked to do (a rollout, a move) goes on there.");
            return ExitCodes.Cancelled;
        }
    }

    public RolloutWatcher CreateWatcher(ParseResult parseResult, WatchOptions options, PlatformClient platform) =>
        new(platform, output, TimeSpan.FromSeconds(parseResult.GetValue(options.Interval)), TimeSpan.FromMinutes(parseResult.GetValue(options.Timeout)));

    private Uri PlatformUrl(ParseResult parseResult)
    {
        var url = parseResult.GetValue(Url) ?? Environment.GetEnvironmentVariable(UrlVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new UsageException($"no platform URL: pass --url or set {UrlVariable}.");
        }

        return Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"'{url}' is not an http(s) URL.");
    }

    private string PlatformToken(ParseResult parseResult)
    {
        var token = parseResult.GetValue(Token) ?? Environment.GetEnvironmentVariable(TokenVariable);
        return string.IsNullOrWhiteSpace(token)
            ? throw new UsageException($"no token: pass --token or set {TokenVariable} (an access token with the admin role).")
            : token.Trim();
    }
}
