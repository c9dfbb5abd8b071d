using LettaPlatform.LettaDev.Engine;

namespace LettaPlatform.LettaDev.Tests;

/// <summary>The dev model's hand-off phrase (<c>ask_agent</c>) and its reply to a hand-off's answer.</summary>
public sealed class DevModelHandOffPhrasesTests
{
    private static readonly string[] Tools = ["ask_agent", "get_pull_request", "post_pull_request_review", "query_tasks"];

    [Theory]
    [InlineData("ask the code assistant to review pull request 12 in octo/hello", "code-assistant", "review pull request 12 in octo/hello")]
    [InlineData("Please ask my task manager: list my tasks", "task-manager", "list my tasks")]
    [InlineData("ask the documentation writer to show me the docs of octo/hello", "documentation", "show me the docs of octo/hello")]
    [InlineData("ask the code assistant to ask the task manager to list my tasks", "code-assistant", "ask the task manager to list my tasks")]
    public void Decide_HandOffPhrase_AsksTheOtherAgentWithTheRequest(string text, string agent, string request)
    {
        var step = Assert.IsType<ToolCallStep>(DevModel.Decide(Input(text, Tools)));

        Assert.Equal(("ask_agent", agent, request), (step.ToolName, JsonNode.Parse(step.Arguments)!["agent"]!.GetValue<string>(), JsonNode.Parse(step.Arguments)!["request"]!.GetValue<string>()));
    }

    [Fact]
    public void Decide_HandOffPhraseWithoutTheTool_IsTheRequestItself()
    {
        var step = Assert.IsType<ToolCallStep>(DevModel.Decide(Input("ask the task manager to list my tasks", ["query_tasks"])));

        Assert.Equal("query_tasks", step.ToolName);
    }

    [Fact]
    public void Decide_AfterAHandOff_RepeatsTheOtherAgentsAnswer()
    {
        var result = new ToolResult("ask_agent",
            """{"status":"success","data":{"agent":"code-assistant","session_id":"s","answer":{"untrusted_text":"I posted my review."}}}""", "success");

        var step = Assert.IsType<AssistantStep>(DevModel.Decide(new ModelInput(null, result, "", new Dictionary<string, JsonObject?>(), new HashSet<string>())));

        Assert.Equal("The code assistant answered: I posted my review.", step.Text);
    }

    private static ModelInput Input(string text, string[] tools) => new(
        text, null, "", tools.ToDictionary(tool => tool, _ => (JsonObject?)null), new HashSet<string>());
}
