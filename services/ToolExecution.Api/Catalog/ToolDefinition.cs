using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;

namespace LettaPlatform.ToolExecution.Api.Catalog;

public static class ToolRisks
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Destructive = "destructive";
}

/// <summary>
/// A tool as the catalog defines it: what a model is told, and the policy the guard applies.
/// <paramref name="Preview"/> names what a person waiting to approve a call is shown besides its arguments
/// (<see cref="ToolPreviewKinds"/>); its handler then implements <see cref="Tools.IToolPreview"/>.
/// </summary>
public sealed record ToolDefinition(string Name, string Description, JsonObject Parameters, string Risk, bool RequiresApproval, string? Preview = null)
{
    public ToolCatalogEntry ToContract() => new()
    {
        Name = Name,
        Description = Description,
        ParametersJson = Parameters.ToJsonString(),
        Risk = Risk,
        RequiresApproval = RequiresApproval,
        Preview = Preview,
    };
}
