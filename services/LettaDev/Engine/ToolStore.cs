using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>
/// Tools by id, names unique, starting with the base tools (<see cref="BaseTools"/>). Every change replaces the tool's
/// record under this store's lock, and no other lock is taken while it is held.
/// </summary>
public sealed class ToolStore
{
    private readonly Dictionary<string, ToolEntity> _tools = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private long _sequence;

    public ToolStore(TimeProvider time)
    {
        _time = time;
        foreach (var (name, type, description, parameters) in BaseTools.Definitions())
        {
            AddLocked(New(name) with
            {
                ToolType = type,
                Description = description,
                SourceType = "python",
                JsonSchema = BaseTools.Schema(name, description, parameters),
            });
        }
    }

    public ToolEntity Get(string id)
    {
        Ids.Require(Ids.Tool, id, "Tool");
        lock (_lock)
        {
            return _tools.TryGetValue(id, out var tool) ? tool : throw LettaException.NotFound("Tool");
        }
    }

    public ToolEntity? FindByName(string name)
    {
        lock (_lock)
        {
            return ByNameLocked(name);
        }
    }

    /// <summary>The tools of <paramref name="ids"/> that exist, in that order.</summary>
    public IReadOnlyList<ToolEntity> Find(IEnumerable<string> ids)
    {
        lock (_lock)
        {
            return [.. ids.Select(id => _tools.GetValueOrDefault(id)).OfType<ToolEntity>()];
        }
    }

    public IReadOnlyList<ToolEntity> List(ToolFilter filter, PageQuery page)
    {
        lock (_lock)
        {
            var tools = _tools.Values.Where(t =>
                    (filter.Name is null || t.Name == filter.Name)
                    && (filter.Names.Count == 0 || filter.Names.Contains(t.Name))
                    && (filter.Types.Count == 0 || filter.Types.Contains(t.ToolType))
                    && (filter.Search is null || t.Name.Contains(filter.Search, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(t => t.Sequence);
            return page.Apply(tools, t => t.Id);
        }
    }

    /// <summary>Creates a tool or, when <paramref name="upsert"/>, replaces the one of the same name (keeping its id); base tools stay as they are.</summary>
    public ToolEntity Create(NewTool request, bool upsert)
    {
        lock (_lock)
        {
            var existing = ByNameLocked(request.Name);
            if (existing is not null && !upsert)
            {
                throw new LettaException(StatusCodes.Status409Conflict, $"Tool with name '{request.Name}' already exists");
            }
            if (existing is not null && BaseTools.IsBase(request.Name))
            {
                throw LettaException.BadRequest($"'{request.Name}' is a base tool and cannot be replaced");
            }
            var tool = existing ?? New(request.Name);
            var description = request.Description ?? tool.Description;
            tool = tool with
            {
                SourceCode = request.SourceCode,
                SourceType = request.SourceType ?? "python",
                Description = description,
                JsonSchema = request.JsonSchema ?? BaseTools.Schema(request.Name, description ?? "",
                    new JsonObject { ["type"] = "object", ["properties"] = new JsonObject(), ["required"] = new JsonArray() }),
                Tags = request.Tags ?? tool.Tags,
                ReturnCharLimit = request.ReturnCharLimit ?? tool.ReturnCharLimit,
                DefaultRequiresApproval = request.DefaultRequiresApproval ?? tool.DefaultRequiresApproval,
            };
            return existing is null ? AddLocked(tool) : _tools[tool.Id] = tool;
        }
    }

    public ToolEntity Modify(string id, ToolChanges changes)
    {
        Ids.Require(Ids.Tool, id, "Tool");
        lock (_lock)
        {
            var tool = _tools.TryGetValue(id, out var found) ? found : throw LettaException.NotFound("Tool");
            return _tools[id] = Apply(tool, changes);
        }
    }

    /// <summary>
    /// A tool from an Agent File: one of the same name is reused, and given <paramref name="overrides"/> unless it is a
    /// base tool; otherwise <paramref name="candidate"/> is added.
    /// </summary>
    public ToolEntity Import(ToolEntity candidate, ToolChanges? overrides)
    {
        lock (_lock)
        {
            if (ByNameLocked(candidate.Name) is not { } existing)
            {
                return AddLocked(candidate);
            }
            return overrides is not null && !BaseTools.IsBase(existing.Name) ? _tools[existing.Id] = Apply(existing, overrides) : existing;
        }
    }

    public void Delete(string id)
    {
        Ids.Require(Ids.Tool, id, "Tool");
        lock (_lock)
        {
            if (!_tools.Remove(id))
            {
                throw LettaException.NotFound("Tool");
            }
        }
    }

    private ToolEntity New(string name) => new() { Id = Ids.New(Ids.Tool), Name = name, CreatedAt = _time.GetUtcNow() };

    private ToolEntity? ByNameLocked(string name) => _tools.Values.FirstOrDefault(t => t.Name == name);

    private ToolEntity AddLocked(ToolEntity tool) => _tools[tool.Id] = tool with { Sequence = ++_sequence };

    private static ToolEntity Apply(ToolEntity tool, ToolChanges changes) => tool with
    {
        Description = changes.Description ?? tool.Description,
        Tags = changes.Tags ?? tool.Tags,
        SourceCode = changes.SourceCode ?? tool.SourceCode,
        JsonSchema = changes.JsonSchema ?? tool.JsonSchema,
        ReturnCharLimit = changes.ReturnCharLimit ?? tool.ReturnCharLimit,
        DefaultRequiresApproval = changes.DefaultRequiresApproval ?? tool.DefaultRequiresApproval,
    };
}
