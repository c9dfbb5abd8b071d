using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;

namespace LettaPlatform.ToolExecution.Api.Tests.TestHost;

public static class Json
{
    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject Data(this ToolCallExecuted executed)
    {
        Assert.True(executed.Status == ToolCallStatus.Success, $"expected success, got {executed.Status}: {executed.Result}");
        return Parse(executed.Result)["data"]!.AsObject();
    }

    /// <summary>The error code of a denied or failed call.</summary>
    public static string ErrorCode(this ToolCallExecuted executed) => Parse(executed.Result)["error"]!["code"]!.GetValue<string>();

    public static string ErrorMessage(this ToolCallExecuted executed) => Parse(executed.Result)["error"]!["message"]!.GetValue<string>();
}
