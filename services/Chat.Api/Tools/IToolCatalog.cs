using LettaPlatform.Letta;

namespace LettaPlatform.Chat.Api.Tools;

/// <summary>The tool definitions (name, description, JSON-schema parameters) the platform offers Letta as <c>client_tools</c>.</summary>
public interface IToolCatalog
{
    /// <summary>The definitions of <paramref name="names"/>, in that order.</summary>
    Task<IReadOnlyList<LettaClientTool>> GetClientToolsAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>
    /// What a person deciding on a call of <paramref name="name"/> is shown besides its arguments
    /// (<c>ToolPreviewKinds</c>, asked of tool-execution with <c>PreviewToolCall</c>); null for none.
    /// </summary>
    Task<string?> GetPreviewKindAsync(string name, CancellationToken cancellationToken);
}
