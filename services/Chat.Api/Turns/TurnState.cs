using System.Text;
using System.Text.Json.Nodes;
using LettaPlatform.Chat.Api.Model;
using LettaPlatform.Letta;
using LettaPlatform.ServiceDefaults.Problems;

namespace LettaPlatform.Chat.Api.Turns;

/// <summary>What one turn has gathered so far; the parts of <see cref="TurnRunner"/> hand it to each other.</summary>
public sealed class TurnState(ChatSession session, TurnInput input, ITurnSink sink, long startedTimestamp)
{
    private readonly Dictionary<string, HistoryItem> _assistant = [];

    public Guid Id { get; } = Guid.CreateVersion7();
    public ChatSession Session { get; } = session;
    public TurnInput Input { get; } = input;
    public ITurnSink Sink { get; } = sink;
    public long StartedTimestamp { get; } = startedTimestamp;

    /// <summary>Letta accepted the turn and its caller's stream is open: from here on, failures are <c>error</c> events.</summary>
    public bool Started { get; set; }

    /// <summary>Set for the turn of a hand-off's session: where it stands in its chain and whose turn it runs inside.</summary>
    public HandOffFrame? HandOff { get; init; }

    /// <summary>The person's own turn at the top of the chain (this turn when it is not a hand-off).</summary>
    public TurnState Root => HandOff?.Root ?? this;

    /// <summary>The service stopping, as the person's own turn sees it; a hand-off's turn ends with it too.</summary>
    public CancellationToken Stopping { get; init; }

    /// <summary>The person's cancel of their own turn; a hand-off's turn inside it is cancelled with it, and stored so.</summary>
    public CancellationToken CancelledByPerson { get; init; }

    /// <summary>The turn's last assistant message: what a hand-off answers the agent that asked.</summary>
    public string? Answer => History.LastOrDefault(h => h.Role == MessageRoles.Assistant)?.Content.ToString();

    /// <summary>This attempt follows one that found the Letta agent or conversation gone.</summary>
    public bool Retried { get; init; }
    public bool BufferLost { get; set; }

    /// <summary>The event buffer's retention was started by this turn's first event (its last one restarts it).</summary>
    public bool BufferExpirySet { get; set; }
    public int LocalEvents { get; set; }
    public string Status { get; set; } = TurnStatus.Running;
    public string? StopReason { get; set; }

    /// <summary>The code of the turn's <c>error</c> event, when it had one.</summary>
    public string? ErrorCode { get; set; }
    public int ToolCalls { get; set; }
    public int PromptTokens { get; private set; }
    public int CompletionTokens { get; private set; }
    public int Steps { get; private set; }
    public List<string> RunIds { get; } = [];
    public List<string> MemoryToolCallIds { get; } = [];

    /// <summary>Tool results already relayed; Letta echoes the results this service handed it.</summary>
    public HashSet<string> ReportedResults { get; } = [];

    /// <summary>Events decided before Letta accepted the turn, relayed right after it did.</summary>
    public List<(string Type, JsonObject Data)> Preamble { get; } = [];

    /// <summary>Assistant and tool messages in the order they happened.</summary>
    public List<HistoryItem> History { get; } = [];
    public List<HistoryItem> ToolMessages { get; } = [];

    public void RunId(string? runId)
    {
        if (runId is not null && !RunIds.Contains(runId))
        {
            RunIds.Add(runId);
        }
    }

    public void AddUsage(LettaUsage usage)
    {
        PromptTokens += usage.PromptTokens;
        CompletionTokens += usage.CompletionTokens;
        Steps += usage.StepCount;
        foreach (var runId in usage.RunIds ?? [])
        {
            RunId(runId);
        }
    }

    public void AppendAssistant(string key, string text)
    {
        if (!_assistant.TryGetValue(key, out var item))
        {
            item = new HistoryItem(MessageRoles.Assistant, null, null, null);
            _assistant[key] = item;
            History.Add(item);
        }

        item.Content.Append(text);
    }

    public HistoryItem AddToolMessage(string toolCallId, string name, string arguments)
    {
        if (ToolMessage(toolCallId) is { } existing)
        {
            return existing;
        }

        var item = new HistoryItem(MessageRoles.Tool, toolCallId, name, arguments);
        History.Add(item);
        ToolMessages.Add(item);
        return item;
    }

    public HistoryItem? ToolMessage(string? toolCallId) =>
        toolCallId is null ? null : ToolMessages.FirstOrDefault(m => m.ToolCallId == toolCallId);
}

/// <summary>
/// A hand-off's turn in its chain: the chain, its depth, the <c>ask_agent</c> call that started it (in <see cref="Parent"/>'s
/// turn), the person's own turn at the top (<see cref="Root"/>), and the tool calls the chain had made before it (the
/// per-turn budget is the chain's).
/// </summary>
public sealed record HandOffFrame(Guid ChainId, int Depth, string ParentToolCallId, TurnState Parent, TurnState Root, int CallsSoFar)
{
    public Contracts.ToolExecution.HandOffContext Context => new() { ChainId = ChainId, Depth = Depth, ParentToolCallId = ParentToolCallId };

    public HandOffRef Ref(Guid sessionId) => new(ChainId, Depth, sessionId, ParentToolCallId);
}

/// <summary>One assistant or tool message of a turn, stored when the turn ends.</summary>
public sealed class HistoryItem(string role, string? toolCallId, string? toolName, string? toolArguments)
{
    public string Role { get; } = role;
    public StringBuilder Content { get; } = new();
    public string? ToolCallId { get; } = toolCallId;
    public string? ToolStatus { get; private set; }

    public void Complete(string status, string result)
    {
        ToolStatus = status;
        Content.Clear().Append(result);
    }

    public ChatMessage ToMessage(Guid sessionId, Guid turnId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        SessionId = sessionId,
        TurnId = turnId,
        Role = Role,
        // Text from the agent is stored as it came, except what PostgreSQL cannot hold (NUL, unpaired surrogates).
        Content = StorableText.Sanitize(Content.ToString()),
        ToolCallId = ToolCallId is null ? null : StorableText.Sanitize(ToolCallId),
        ToolName = toolName is null ? null : StorableText.Sanitize(toolName),
        ToolArguments = toolArguments is null ? null : StorableText.Sanitize(toolArguments),
        ToolStatus = ToolStatus,
        CreatedAt = now,
    };
}
