using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>
/// Memory blocks by id. A block linked to several agents is one block, so an edit is seen by all of them; which agents
/// link to a block is the <see cref="AgentStore"/>'s business. Every change replaces the block's record under this
/// store's lock, and no other lock is taken while it is held.
/// </summary>
public sealed class BlockStore(TimeProvider time)
{
    private readonly Dictionary<string, BlockEntity> _blocks = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _sequence;

    public BlockEntity Create(BlockFields fields)
    {
        var now = time.GetUtcNow();
        var label = fields.Label ?? throw LettaException.Invalid("body.label: Field required");
        var block = Apply(new BlockEntity { Id = Ids.New(Ids.Block), Label = label, CreatedAt = now, UpdatedAt = now }, fields);
        lock (_lock)
        {
            return AddLocked(block);
        }
    }

    /// <summary>Blocks read from an Agent File, already given their new ids.</summary>
    public void AddImported(IEnumerable<BlockEntity> blocks)
    {
        lock (_lock)
        {
            foreach (var block in blocks)
            {
                AddLocked(block);
            }
        }
    }

    public BlockEntity Get(string id)
    {
        Ids.Require(Ids.Block, id, "Block");
        lock (_lock)
        {
            return _blocks.TryGetValue(id, out var block) ? block : throw LettaException.NotFound("Block");
        }
    }

    /// <summary>The blocks of <paramref name="ids"/> that exist, in that order.</summary>
    public IReadOnlyList<BlockEntity> Find(IEnumerable<string> ids)
    {
        lock (_lock)
        {
            return [.. ids.Select(id => _blocks.GetValueOrDefault(id)).OfType<BlockEntity>()];
        }
    }

    public IReadOnlyList<BlockEntity> List(BlockFilter filter, PageQuery page)
    {
        lock (_lock)
        {
            return page.Apply(Matching(filter).OrderBy(b => b.Sequence), b => b.Id);
        }
    }

    public int Count(BlockFilter filter)
    {
        lock (_lock)
        {
            return Matching(filter).Count();
        }
    }

    private IEnumerable<BlockEntity> Matching(BlockFilter filter) => _blocks.Values.Where(b =>
        (filter.Label is null || b.Label == filter.Label)
        && (filter.LabelSearch is null || b.Label.Contains(filter.LabelSearch, StringComparison.OrdinalIgnoreCase))
        && (filter.ValueSearch is null || b.Value.Contains(filter.ValueSearch, StringComparison.OrdinalIgnoreCase))
        && (filter.Tags.Count == 0 || (filter.MatchAllTags ? filter.Tags.All(b.Tags.Contains) : filter.Tags.Any(b.Tags.Contains))));

    public BlockEntity Modify(string id, BlockFields changes) => Update(id, block => Apply(block, changes));

    /// <summary>Replaces the block's value with what <paramref name="edit"/> makes of the current block, atomically;
    /// what <paramref name="edit"/> throws leaves the block as it was.</summary>
    public BlockEntity Edit(string id, Func<BlockEntity, string> edit) => Update(id, block => block with { Value = edit(block) });

    public void Delete(string id)
    {
        Ids.Require(Ids.Block, id, "Block");
        lock (_lock)
        {
            if (!_blocks.Remove(id))
            {
                throw LettaException.NotFound("Block");
            }
        }
    }

    private BlockEntity Update(string id, Func<BlockEntity, BlockEntity> change)
    {
        Ids.Require(Ids.Block, id, "Block");
        lock (_lock)
        {
            var block = _blocks.TryGetValue(id, out var found) ? found : throw LettaException.NotFound("Block");
            return _blocks[id] = change(block) with { UpdatedAt = time.GetUtcNow() };
        }
    }

    private BlockEntity AddLocked(BlockEntity block) => _blocks[block.Id] = block with { Sequence = ++_sequence };

    private static BlockEntity Apply(BlockEntity block, BlockFields fields) => block with
    {
        Value = fields.Value ?? block.Value,
        Label = fields.Label ?? block.Label,
        Limit = fields.Limit ?? block.Limit,
        Description = fields.Description ?? block.Description,
        ReadOnly = fields.ReadOnly ?? block.ReadOnly,
        Metadata = fields.Metadata ?? block.Metadata,
        Tags = fields.Tags ?? block.Tags,
    };
}
