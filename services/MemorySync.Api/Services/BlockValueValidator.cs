using System.Text.RegularExpressions;

namespace LettaPlatform.MemorySync.Api.Services;

/// <summary>
/// What a person may write into a block. Memory is pasted into every prompt the agent sees and shown
/// back in the UI, so credentials must never land there, and control characters would corrupt both.
/// </summary>
public static partial class BlockValueValidator
{
    private static readonly (Regex Pattern, string What)[] Secrets =
    [
        (PemPrivateKey(), "a PEM private key"),
        (OpenAiStyleKey(), "an API key (sk-…)"),
        (GitHubToken(), "a GitHub token (ghp_…, gho_…, ghs_…)"),
        (GitHubFineGrainedToken(), "a GitHub fine-grained token (github_pat_…)"),
        (AwsAccessKeyId(), "an AWS access key id (AKIA…)"),
        (AwsSecretKey(), "an AWS secret access key"),
        (SlackToken(), "a Slack token (xox…)"),
        (GoogleApiKey(), "a Google API key (AIza…)"),
        (StripeKey(), "a Stripe key (sk_live_…)"),
        (BearerToken(), "a bearer token"),
        (JsonWebToken(), "a JSON Web Token"),
    ];

    /// <summary>Field name → reasons; empty when the value may be stored.</summary>
    public static Dictionary<string, string[]> Validate(string? value, int limit)
    {
        var errors = new List<string>();
        if (value is null)
        {
            return new() { ["value"] = ["A value is required (an empty string clears the block)."] };
        }

        if (value.Length > limit)
        {
            errors.Add($"The value is {value.Length} characters long; this block's limit is {limit}.");
        }

        var control = value.FirstOrDefault(c => char.IsControl(c) && c is not '\n' and not '\t');
        if (control != default)
        {
            errors.Add($"The value contains the control character U+{(int)control:X4}; only line feeds and tabs are allowed.");
        }

        foreach (var (pattern, what) in Secrets)
        {
            if (pattern.IsMatch(value))
            {
                errors.Add($"The value looks like it contains {what}. Secrets must not be stored in agent memory.");
            }
        }

        return errors.Count == 0 ? [] : new() { ["value"] = [.. errors] };
    }

    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")]
    private static partial Regex PemPrivateKey();

    [GeneratedRegex(@"\bsk-(?:[A-Za-z0-9]+-)*[A-Za-z0-9_\-]{20,}")]
    private static partial Regex OpenAiStyleKey();

    [GeneratedRegex(@"\bgh[pousr]_[A-Za-z0-9]{30,}")]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\bgithub_pat_[A-Za-z0-9_]{22,}")]
    private static partial Regex GitHubFineGrainedToken();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b")]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"(?i)aws_?secret_?access_?key\s*[:=]\s*['""]?[A-Za-z0-9/+=]{40}")]
    private static partial Regex AwsSecretKey();

    [GeneratedRegex(@"\bxox[abposr]-[A-Za-z0-9-]{10,}")]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_\-]{35}")]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(@"\b[sr]k_live_[0-9A-Za-z]{20,}")]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"(?i)\bbearer\s+[A-Za-z0-9\-._~+/]{20,}=*")]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")]
    private static partial Regex JsonWebToken();
}
