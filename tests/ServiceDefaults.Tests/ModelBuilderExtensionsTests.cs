using LettaPlatform.ServiceDefaults.Data;

namespace LettaPlatform.ServiceDefaults.Tests;

public sealed class ModelBuilderExtensionsTests
{
    [Theory]
    [InlineData("ChatSessions", "chat_sessions")]
    [InlineData("CreatedAt", "created_at")]
    [InlineData("LettaAgentId", "letta_agent_id")]
    [InlineData("HTTPRequestLog", "http_request_log")]
    [InlineData("Block2Version", "block2_version")]
    [InlineData("already_snake", "already_snake")]
    public void ToSnakeCase_PascalCaseName_ReturnsSnakeCase(string name, string expected) =>
        Assert.Equal(expected, ModelBuilderExtensions.ToSnakeCase(name));
}
