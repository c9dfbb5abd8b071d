using LettaPlatform.Chat.Api.Turns;

namespace LettaPlatform.Chat.Api.Tests;

public class ChatEventTests
{
    [Fact]
    public void Create_ErrorEvent_KeepsEventTypeAndCarriesTheProblem()
    {
        var data = ChatEvent.Create(ChatEventTypes.Error, new ErrorData("letta_unavailable", "https://lettaplatform.dev/problems/letta-unavailable", "Letta is unavailable", 503, "try later"));

        Assert.Equal("error", data["type"]!.GetValue<string>());
        Assert.Equal("letta_unavailable", data["code"]!.GetValue<string>());
        Assert.Equal("https://lettaplatform.dev/problems/letta-unavailable", data["problemType"]!.GetValue<string>());
        Assert.Equal(503, data["status"]!.GetValue<int>());
    }
}
