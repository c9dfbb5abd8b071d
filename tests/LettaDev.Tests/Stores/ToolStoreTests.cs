using LettaPlatform.LettaDev.Engine;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Tests.Stores;

public sealed class ToolStoreTests
{
    private readonly StoreSet _stores = new();

    [Theory]
    [InlineData(BaseTools.MemoryInsert, "letta_memory_core")]
    [InlineData(BaseTools.MemoryReplace, "letta_memory_core")]
    [InlineData(BaseTools.CoreMemoryAppend, "letta_core")]
    [InlineData(BaseTools.CoreMemoryReplace, "letta_core")]
    [InlineData(BaseTools.ConversationSearch, "letta_core")]
    public void NewStore_HasTheBaseTools(string name, string type)
    {
        var tool = _stores.Tools.FindByName(name);

        Assert.NotNull(tool);
        Assert.Equal(type, tool.ToolType);
        Assert.Equal(name, tool.JsonSchema.Str("name"));
    }

    [Fact]
    public void Create_FromSourceOnly_TakesTheNameOfTheFirstDefAndBuildsASchema()
    {
        var request = NewTool.From(new JsonObject { ["source_code"] = "import x\ndef lookup_user(q):\n    return q", ["description"] = "Look up" });

        var tool = _stores.Tools.Create(request, upsert: false);

        Assert.Equal("lookup_user", tool.Name);
        Assert.Equal("Look up", tool.JsonSchema.Str("description"));
        Assert.Equal("custom", tool.ToolType);
        Assert.Equal("python", tool.SourceType);
    }

    [Fact]
    public void Create_NameTaken_Is409()
    {
        _stores.Tool("lookup");

        var error = LettaAssert.Fails(409, () => _stores.Tool("lookup"));

        Assert.Equal("Tool with name 'lookup' already exists", error.Message);
    }

    [Fact]
    public void Upsert_NameTaken_ReplacesTheToolUnderItsId()
    {
        var first = _stores.Tool("lookup");

        var second = _stores.Tools.Create(new NewTool { Name = "lookup", SourceCode = "def lookup(v2): pass", Tags = ["v2"] }, upsert: true);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("def lookup(v2): pass", _stores.Tools.Get(first.Id).SourceCode);
        Assert.Equal(["v2"], _stores.Tools.Get(first.Id).Tags);
        Assert.Single(_stores.Tools.List(new ToolFilter("lookup", [], [], null), new PageQuery(null, null, null, "asc")));
    }

    [Fact]
    public void Upsert_BaseTool_Is400()
    {
        LettaAssert.Fails(400, () => _stores.Tools.Create(new NewTool { Name = BaseTools.MemoryInsert, SourceCode = "def memory_insert(): pass" }, upsert: true));

        Assert.Null(_stores.Tools.FindByName(BaseTools.MemoryInsert)!.SourceCode);
    }

    [Fact]
    public void Import_NameTaken_ReusesTheToolWithTheFilesSource()
    {
        var existing = _stores.Tool("lookup");
        var candidate = new ToolEntity { Id = Ids.New(Ids.Tool), Name = "lookup", SourceCode = "def lookup(from_file): pass" };

        var imported = _stores.Tools.Import(candidate, new ToolChanges(null, null, candidate.SourceCode, null, null, null));

        Assert.Equal(existing.Id, imported.Id);
        Assert.Equal("def lookup(from_file): pass", imported.SourceCode);
        Assert.Equal(existing.JsonSchema, imported.JsonSchema);
    }

    [Fact]
    public void Import_BaseToolWithOverrides_IsReusedUnchanged()
    {
        var baseTool = _stores.Tools.FindByName(BaseTools.ConversationSearch)!;
        var candidate = new ToolEntity { Id = Ids.New(Ids.Tool), Name = BaseTools.ConversationSearch, SourceCode = "def conversation_search(): pass" };

        var imported = _stores.Tools.Import(candidate, new ToolChanges("changed", null, candidate.SourceCode, null, null, null));

        Assert.Equal(baseTool, imported);
    }

    [Fact]
    public void Import_NewName_AddsTheCandidate()
    {
        var candidate = new ToolEntity { Id = Ids.New(Ids.Tool), Name = "from_file" };

        var imported = _stores.Tools.Import(candidate, null);

        Assert.Equal(candidate.Id, imported.Id);
        Assert.Equal(imported, _stores.Tools.Get(candidate.Id));
    }
}
