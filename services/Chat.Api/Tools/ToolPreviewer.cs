using LettaPlatform.Contracts.ToolExecution;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LettaPlatform.Chat.Api.Tools;

/// <summary>
/// What a person is shown, besides a call's arguments, before deciding on it: for a tool whose catalog entry
/// names a preview (the diff of a proposed documentation change), tool-execution is asked for it
/// (<c>PreviewToolCall</c>, within <c>Chat:ToolPreviewTimeout</c>). A preview that cannot be had becomes a
/// note saying so, never a failed turn: the person still decides, from the arguments.
/// </summary>
public sealed partial class ToolPreviewer(
    IRequestClient<PreviewToolCall> client, IToolCatalog catalog, IOptions<ChatOptions> options, ILogger<ToolPreviewer> logger)
{
    /// <summary>The preview of a call that waits for approval; null when its tool has none.</summary>
    public async Task<ApprovalPreview?> PreviewAsync(PreviewToolCall call, CancellationToken cancellationToken)
    {
        string? kind;
        try
        {
            kind = await catalog.GetPreviewKindAsync(call.ToolName, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            LogPreviewFailed(ex, call.ToolName, call.ToolCallId);
            return null;
        }

        if (kind is null)
        {
            return null;
        }

        try
        {
            var timeout = options.Value.ToolPreviewTimeout;
            var preview = (await client.GetResponse<ToolCallPreview>(call, cancellationToken, RequestTimeout.After(ms: (int)timeout.TotalMilliseconds))).Message;
            return new ApprovalPreview(preview.Kind ?? kind, preview.Available ? preview.Text : null, preview.Truncated, preview.Note);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            LogPreviewFailed(ex, call.ToolName, call.ToolCallId);
            return new ApprovalPreview(kind, null, false,
                "The change could not be previewed: the tool service did not answer in time. Check the arguments before you approve.");
        }
    }

    [LoggerMessage(LogLevel.Warning, "No preview of tool call {Tool} ({ToolCallId}) from tool-execution")]
    private partial void LogPreviewFailed(Exception exception, string tool, string toolCallId);
}

/// <summary>
/// Shown with a call that waits for approval: <see cref="Text"/> of kind <see cref="Kind"/> (<c>diff</c>: a
/// unified diff), cut to the configured size when <see cref="Truncated"/>; null with <see cref="Note"/> saying why.
/// </summary>
public sealed record ApprovalPreview(string Kind, string? Text, bool Truncated, string? Note);
