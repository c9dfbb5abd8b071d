using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Tests.Stores;

public sealed class BlockStoreTests
{
    private readonly StoreSet _stores = new();

    [Fact]
    public void Modify_SomeFields_ChangesOnlyThoseAndStampsUpdatedAt()
    {
        var block = _stores.Blocks.Create(new BlockFields("v", "notes", null, "d", null, null, ["x"]));
        _stores.Time.Advance(TimeSpan.FromMinutes(1));

        var modified = _stores.Blocks.Modify(block.Id, BlockFields.From(new JsonObject { ["limit"] = 5 }));

        Assert.Equal(("v", "notes", "d", 5), (modified.Value, modified.Label, modified.Description, modified.Limit));
        Assert.Equal(["x"], modified.Tags);
        Assert.Equal(block.CreatedAt, modified.CreatedAt);
        Assert.Equal(_stores.Time.Now, modified.UpdatedAt);
        Assert.Equal(modified, _stores.Blocks.Get(block.Id));
    }

    [Fact]
    public void Modify_ExplicitNullValue_EmptiesTheBlock()
    {
        var block = _stores.Block("notes", "something");

        var modified = _stores.Blocks.Modify(block.Id, BlockFields.From(new JsonObject { ["value"] = null }));

        Assert.Equal("", modified.Value);
    }

    [Fact]
    public void Edit_ThatThrows_LeavesTheBlockAsItWas()
    {
        var block = _stores.Block("notes", "keep me");
        _stores.Time.Advance(TimeSpan.FromMinutes(1));

        LettaAssert.Fails(400, () => _stores.Blocks.Edit(block.Id, _ => throw LettaException.BadRequest("no")));

        Assert.Equal(block, _stores.Blocks.Get(block.Id));
    }

    [Fact]
    public async Task Edit_ManyAtOnce_LosesNoEdit()
    {
        var block = _stores.Block("counter");

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => _stores.Blocks.Edit(block.Id, b => b.Value + "x"))));

        Assert.Equal(200, _stores.Blocks.Get(block.Id).Value.Length);
    }

    [Fact]
    public void List_ByTags_MatchesAnyOrAll()
    {
        var both = _stores.Block("one", "", "a", "b");
        var onlyA = _stores.Block("two", "", "a");
        _stores.Block("three", "", "c");
        var page = new PageQuery(null, null, null, "asc");

        var any = _stores.Blocks.List(new BlockFilter(null, ["a", "b"], false, null, null), page);
        var all = _stores.Blocks.List(new BlockFilter(null, ["a", "b"], true, null, null), page);

        Assert.Equal([both.Id, onlyA.Id], any.Select(b => b.Id));
        Assert.Equal([both.Id], all.Select(b => b.Id));
        Assert.Equal(1, _stores.Blocks.Count(new BlockFilter(null, [], false, null, "THR")));
    }

    [Fact]
    public void Find_SkipsMissingIds_AndKeepsTheOrderAsked()
    {
        var first = _stores.Block("first");
        var second = _stores.Block("second");
        _stores.Blocks.Delete(first.Id);

        var found = _stores.Blocks.Find([second.Id, first.Id, Ids.New(Ids.Block)]);

        Assert.Equal([second.Id], found.Select(b => b.Id));
    }

    [Fact]
    public void Delete_Twice_SecondIsNotFound()
    {
        var block = _stores.Block("gone");

        _stores.Blocks.Delete(block.Id);

        Assert.Equal("Block not found", LettaAssert.Fails(404, () => _stores.Blocks.Delete(block.Id)).Message);
        LettaAssert.Fails(404, () => _stores.Blocks.Get(block.Id));
    }

    [Fact]
    public void Get_MalformedId_Is422BeforeAnyLookup()
    {
        var error = LettaAssert.Fails(422, () => _stores.Blocks.Get("block-123"));

        Assert.Contains("not a valid id", error.Message);
    }
}
