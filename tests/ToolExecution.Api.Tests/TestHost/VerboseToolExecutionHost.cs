namespace LettaPlatform.ToolExecution.Api.Tests.TestHost;

/// <summary>The service logging at Debug in every category, so a test sees everything a log could leak.</summary>
public sealed class VerboseToolExecutionHost(InfrastructureFixture infrastructure) : ToolExecutionHost(infrastructure)
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Debug",
        ["Logging:LogLevel:System.Net.Http"] = "Trace",
    };
}
