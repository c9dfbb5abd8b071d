using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LettaPlatform.Letta.Tests.Contract;

/// <summary>
/// Every field the client reads or writes must exist in the spec's schema for it: a field the platform relies
/// on that Letta's spec lacks would work against LettaDev and fail against Letta.
/// </summary>
public sealed class ClientModelContractTests
{
    public static TheoryData<string, string> Models => new()
    {
        { nameof(LettaHealth), "Health" },
        { nameof(AgentState), "AgentState" },
        { nameof(CreateAgentRequest), "CreateAgentRequest" },
        { nameof(UpdateAgentRequest), "UpdateAgent" },
        { nameof(LettaBlock), "BlockResponse" },
        { nameof(CreateBlockRequest), "CreateBlock" },
        { nameof(BlockUpdate), "BlockUpdate" },
        { nameof(LettaTool), "Tool" },
        { nameof(ImportedAgents), "ImportedAgentsResponse" },
        { nameof(Conversation), "Conversation" },
        { nameof(CreateConversationRequest), "CreateConversation" },
        { nameof(LettaRun), "Run" },
        { nameof(LettaResponse), "LettaResponse" },
        { nameof(LettaStopReason), "LettaStopReason" },
        { nameof(LettaUsage), "LettaUsageStatistics" },
        { nameof(LettaClientTool), "ClientToolSchema" },
        { nameof(LettaMessageInput), "MessageCreate" },
        { nameof(LettaApprovalInput), "ApprovalCreate" },
        { nameof(LettaToolReturnInput), "ToolReturnCreate" },
        { nameof(LettaApprovalDecision), "ApprovalReturn" },
        { nameof(LettaToolResult), "letta__schemas__letta_message__ToolReturn" },
        { nameof(LettaToolReturn), "letta__schemas__letta_message__ToolReturn" },
        { nameof(LettaToolCall), "ToolCall" },
        { nameof(SystemMessage), "SystemMessage" },
        { nameof(UserMessage), "UserMessage" },
        { nameof(AssistantMessage), "AssistantMessage" },
        { nameof(ReasoningMessage), "ReasoningMessage" },
        { nameof(HiddenReasoningMessage), "HiddenReasoningMessage" },
        { nameof(ToolCallMessage), "ToolCallMessage" },
        { nameof(ToolReturnMessage), "ToolReturnMessage" },
        { nameof(ApprovalRequestMessage), "ApprovalRequestMessage" },
        { nameof(ApprovalResponseMessage), "ApprovalResponseMessage" },
        { nameof(SummaryMessage), "SummaryMessage" },
        { nameof(EventMessage), "EventMessage" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void ClientModel_EveryField_IsDeclaredBySpec(string model, string schemaName)
    {
        var type = typeof(ILettaClient).Assembly.GetTypes().Single(t => t.Name == model && t.Namespace == "LettaPlatform.Letta");
        var schema = OpenApiContract.Letta.Validator.Schema(schemaName);
        var declared = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();

        var missing = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.GetMethod is not null)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
            .Where(name => !declared.Contains(name))
            .ToArray();

        Assert.True(missing.Length == 0, $"{model} uses fields {schemaName} does not declare: {string.Join(", ", missing)}");
    }

    [Fact]
    public void MessageTypes_TheClientKnows_AreTheSpecsUnion()
    {
        var union = OpenApiContract.Letta.Validator.Schema("LettaMessageUnion").GetProperty("discriminator").GetProperty("mapping");
        var known = typeof(LettaMessageTypes).GetFields().Select(f => (string)f.GetValue(null)!).Order();

        Assert.Equal(union.EnumerateObject().Select(p => p.Name).Order(), known);
    }
}
