namespace LettaPlatform.ToolExecution.Api.Tests.TestHost;

/// <summary>The service with limits small enough to reach in a test: rate limit, timeouts, result size, GitHub content caps.</summary>
public sealed class LimitedToolExecutionHost(InfrastructureFixture infrastructure) : ToolExecutionHost(infrastructure)
{
    public const int RateLimitCalls = 3;
    public const int MaxResultChars = 1500;
    public const int MaxFileChars = 700;
    public const int MaxDiffChars = 600;
    public const int MaxProposedChangeChars = 300;
    public const int MaxPreviewDiffChars = 200;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["ToolExecution:RateLimitCalls"] = RateLimitCalls.ToString(),
        ["ToolExecution:RateLimitWindow"] = "00:10:00",
        ["ToolExecution:MaxResultChars"] = MaxResultChars.ToString(),
        ["GitHub:MaxFileChars"] = MaxFileChars.ToString(),
        ["GitHub:MaxDiffChars"] = MaxDiffChars.ToString(),
        ["GitHub:MaxProposedChangeChars"] = MaxProposedChangeChars.ToString(),
        ["GitHub:MaxPreviewDiffChars"] = MaxPreviewDiffChars.ToString(),
        ["ToolExecution:Timeout"] = "00:00:02",
        ["AgentDirectory:Timeout"] = "00:00:01",
    };
}
