namespace LettaPlatform.Contracts.ToolExecution;

/// <summary>
/// The queues tool-execution receives point-to-point messages on. A queue a message is sent to is part of
/// its contract as much as its type: sender and receiver both use this name (behind their host's queue prefix).
/// </summary>
public static class ToolExecutionQueues
{
    /// <summary><see cref="ExecuteToolCall"/>, answered with <see cref="ToolCallExecuted"/>.</summary>
    public const string ExecuteToolCall = "execute-tool-call";

    /// <summary><see cref="GetToolCatalog"/>, answered with <see cref="ToolCatalog"/>.</summary>
    public const string GetToolCatalog = "get-tool-catalog";

    /// <summary><see cref="PreviewToolCall"/>, answered with <see cref="ToolCallPreview"/>.</summary>
    public const string PreviewToolCall = "preview-tool-call";
}
