using System.Text.Json.Nodes;

namespace LettaPlatform.ToolExecution.Api.Tools;

/// <summary>
/// A tool whose calls can be shown before a person approves them (the catalog entry names the kind,
/// <see cref="Catalog.ToolDefinition.Preview"/>). The guard calls <see cref="PreviewAsync"/> only after the
/// handler's <see cref="IToolHandler.AuthorizeAsync"/> allowed the call; a preview reads, never changes anything.
/// </summary>
public interface IToolPreview
{
    /// <summary>The preview; throws <see cref="Guard.ToolFailureException"/> when it cannot be made.</summary>
    Task<ToolPreview> PreviewAsync(JsonObject arguments, CancellationToken cancellationToken);
}

/// <param name="Kind">One of <c>ToolPreviewKinds</c> (<c>diff</c>).</param>
/// <param name="Text">The preview itself, at most the configured size.</param>
/// <param name="Truncated">True when <paramref name="Text"/> was cut to that size.</param>
/// <param name="Note">A sentence for the person: what the preview covers.</param>
public sealed record ToolPreview(string Kind, string Text, bool Truncated, string? Note);
