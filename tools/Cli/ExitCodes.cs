namespace LettaPlatform.Cli;

/// <summary>What <c>lettactl</c> exits with; scripts and pipelines branch on these (documented in deploy/README.md).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The platform refused a request (its problem details are printed), or some agents of a bulk move failed.</summary>
    public const int RequestFailed = 1;

    /// <summary>Wrong arguments, or no platform URL or token.</summary>
    public const int Usage = 2;

    /// <summary>The template files are not valid; nothing was sent.</summary>
    public const int InvalidTemplates = 3;

    /// <summary>401 or 403: the token is missing, expired, from another issuer, or lacks the admin role.</summary>
    public const int Unauthorized = 4;

    /// <summary>The platform could not be reached (connection refused, DNS, timeout).</summary>
    public const int Unreachable = 5;

    /// <summary>A rollout ended badly: agents failed, or it was rolled back.</summary>
    public const int RolloutFailed = 6;

    /// <summary><c>templates diff --exit-code</c> found differences.</summary>
    public const int ChangesFound = 7;

    /// <summary>A watched rollout did not finish its phase within <c>--timeout</c>; it goes on in the platform.</summary>
    public const int WatchTimedOut = 8;

    /// <summary>Interrupted (Ctrl+C); what the platform was asked to do goes on there.</summary>
    public const int Cancelled = 130;
}
