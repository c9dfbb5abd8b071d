using System.Text;

namespace LettaPlatform.Letta;

// What goes on the wire besides the model types: the request bodies only this client builds, and query strings.
internal sealed partial class LettaClient
{
    private sealed record CancelBody(IReadOnlyList<string>? RunIds);

    private sealed record ResumeBody(int StartingAfter, bool IncludePings);

    private sealed record ResumeConversationBody(int StartingAfter, bool IncludePings, string? RunId);

    /// <summary>The wire body of a send (<c>LettaStreamingRequest</c> / <c>ConversationMessageRequest</c>).</summary>
    private sealed record SendBody
    {
        public required IReadOnlyList<LettaInput> Messages { get; init; }
        public IReadOnlyList<LettaClientTool>? ClientTools { get; init; }
        public int? MaxSteps { get; init; }
        public IReadOnlyList<string>? IncludeReturnMessageTypes { get; init; }
        public string? OverrideModel { get; init; }
        public string? AgentId { get; init; }
        public bool? Streaming { get; init; }

        // Streaming-only options sent without streaming:true are rejected with 422, so they are left out then.
        public bool? StreamTokens { get; init; }
        public bool? IncludePings { get; init; }
        public bool? Background { get; init; }

        public static SendBody For(LettaMessageRequest request, LettaStreamOptions? stream, string? agentId) => new()
        {
            Messages = request.Messages,
            ClientTools = request.ClientTools,
            MaxSteps = request.MaxSteps,
            IncludeReturnMessageTypes = request.IncludeReturnMessageTypes,
            OverrideModel = request.OverrideModel,
            AgentId = agentId,
            Streaming = stream is null ? null : true,
            StreamTokens = stream?.StreamTokens,
            IncludePings = stream?.IncludePings,
            Background = stream is { Background: true } ? true : null,
        };
    }

    /// <summary>Builds a query string; list values repeat the key (FastAPI's list convention).</summary>
    private sealed class Query(string path)
    {
        private readonly StringBuilder _query = new();

        public Query Add(string name, string? value)
        {
            if (value is not null)
            {
                _query.Append(_query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
            return this;
        }

        public Query Add(string name, int? value) => Add(name, value?.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public Query Add(string name, LettaSortOrder? value) => Add(name, value switch
        {
            LettaSortOrder.Asc => "asc",
            LettaSortOrder.Desc => "desc",
            _ => null,
        });

        public Query AddAll(string name, IEnumerable<string>? values)
        {
            foreach (var value in values ?? [])
            {
                Add(name, value);
            }
            return this;
        }

        public override string ToString() => path + _query;
    }
}
