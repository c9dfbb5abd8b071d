using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>Every run LettaDev has started, by id; each run guards its own log (<see cref="RunEntity"/>).</summary>
public sealed class RunStore
{
    private readonly Dictionary<string, RunEntity> _runs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Add(RunEntity run)
    {
        lock (_lock)
        {
            _runs[run.Id] = run;
        }
    }

    public RunEntity Get(string id)
    {
        Ids.Require(Ids.Run, id, "Run");
        return Find(id) ?? throw LettaException.NotFound("Run");
    }

    public RunEntity? Find(string id)
    {
        lock (_lock)
        {
            return _runs.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<RunEntity> Active(string agentId)
    {
        List<RunEntity> ofAgent;
        lock (_lock)
        {
            ofAgent = [.. _runs.Values.Where(r => r.AgentId == agentId)];
        }
        return [.. ofAgent.Where(r => !r.Finished)];
    }
}
