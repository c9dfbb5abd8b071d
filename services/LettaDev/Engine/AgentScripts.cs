using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>Model steps queued by a test through <c>/_dev/agents/{id}/script</c>; each step of a turn takes the next one before the rules apply.</summary>
public sealed class AgentScripts
{
    private readonly Dictionary<string, Queue<ScriptStep>> _queues = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Replaces the agent's queue; returns how many steps are queued.</summary>
    public int Replace(string agentId, IEnumerable<ScriptStep> steps)
    {
        lock (_lock)
        {
            var queue = new Queue<ScriptStep>(steps);
            _queues[agentId] = queue;
            return queue.Count;
        }
    }

    public ScriptStep? TakeNext(string agentId)
    {
        lock (_lock)
        {
            return _queues.TryGetValue(agentId, out var queue) && queue.TryDequeue(out var step) ? step : null;
        }
    }
}
