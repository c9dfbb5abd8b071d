using LettaPlatform.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>The memory panel beside the chat: the agent's edits, a person's edits, history, rollback and snapshots.</summary>
public class MemoryPanelTests(PlatformFixture platform, BrowserFixture browser)
{
    private static string NewUser() => $"mem-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task Remember_AgentEditsHumanBlock_PanelShowsTheAgentsVersion()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Remember");
        var before = await chat.BlockVersionAsync("human");

        await chat.SendAsync("remember that I prefer tabs");
        await chat.WaitForReplyDoneAsync();

        var human = chat.Block("human");
        await Expect(human.Locator(".block-value")).ToContainTextAsync("I prefer tabs");
        await Expect(human.Locator(".block-meta")).ToContainTextAsync("by agent");
        await Expect(human.Locator(".status")).ToHaveTextAsync("synced");
        await Expect(human).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("changed"));
        await Expect(chat.Page.Locator("#memory-status")).ToContainTextAsync("human");
        Assert.True(await chat.BlockVersionAsync("human") > before);
        await Expect(chat.ToolCard("memory_insert")).ToHaveAttributeAsync("data-state", "done");
        await chat.ScreenshotAsync("07-memory-agent-edit");
    }

    [Fact]
    public async Task EditBlock_StaleThenSaved_HistoryDiffAndRollback()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Edit memory");
        var human = chat.Block("human");
        var original = await human.Locator(".block-value").InnerTextAsync();

        await human.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await human.GetByLabel("Edit human").FillAsync("Name: Ada\nRole: engineer");
        await human.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(human.Locator(".block-value")).ToHaveTextAsync("Name: Ada\nRole: engineer");
        await Expect(human.Locator(".block-meta")).ToContainTextAsync("by user");
        var saved = await chat.BlockVersionAsync("human");

        // Someone else writes the block while this person is editing: the page explains it and keeps their text.
        await human.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await human.GetByLabel("Edit human").FillAsync("Name: Ada Lovelace");
        await chat.Page.EvaluateAsync(@"async version => {
            const session = await (await fetch(`/api/chat/sessions`, { headers: { Authorization: `Bearer ${sessionStorage.getItem('letta.token')}` } })).json();
            const agentId = session.items[0].agentId;
            const response = await fetch(`/api/memory/agents/${agentId}/blocks/human`, { method: 'PUT',
                headers: { Authorization: `Bearer ${sessionStorage.getItem('letta.token')}`, 'Content-Type': 'application/json', 'If-Match': `""${version}""` },
                body: JSON.stringify({ value: 'Written elsewhere' }) });
            if (!response.ok) throw new Error(`PUT ${response.status}`);
        }", saved);
        await human.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(human.Locator(".edit-message")).ToContainTextAsync("changed this block while you were editing");
        await Expect(human.GetByLabel("Edit human")).ToHaveValueAsync("Name: Ada Lovelace");
        await chat.ScreenshotAsync("08-memory-stale-edit");
        await human.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(human.Locator(".block-value")).ToHaveTextAsync("Name: Ada Lovelace");

        await human.GetByRole(AriaRole.Button, new() { Name = "History" }).ClickAsync();
        var dialog = chat.Page.Locator("#history-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator("li[data-version]")).ToHaveCountAsync(4);
        await dialog.Locator("li[data-version]").First.GetByRole(AriaRole.Button, new() { Name = "Show changes" }).ClickAsync();
        await Expect(dialog.Locator(".diff-add")).ToContainTextAsync("Name: Ada Lovelace");
        await Expect(dialog.Locator(".diff-remove")).ToContainTextAsync("Written elsewhere");
        await chat.ScreenshotAsync("11-memory-history");

        await dialog.Locator("li[data-version]").Last.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Roll back") }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(human.Locator(".block-value")).ToHaveTextAsync(original);
        Assert.True(await chat.BlockVersionAsync("human") > saved + 1);
    }

    [Fact]
    public async Task Snapshot_TakenThenRestored_BlockValueComesBack()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Snapshots");
        chat.Page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        var human = chat.Block("human");
        var original = await human.Locator(".block-value").InnerTextAsync();

        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Take snapshot" }).ClickAsync();
        await Expect(chat.Page.Locator("#snapshots li[data-snapshot-id]")).ToHaveCountAsync(1);

        await human.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await human.GetByLabel("Edit human").FillAsync("Changed after the snapshot");
        await human.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(human.Locator(".block-value")).ToHaveTextAsync("Changed after the snapshot");
        await chat.ScreenshotAsync("12-memory-snapshots");

        await chat.Page.Locator("#snapshots li[data-snapshot-id]").GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        await Expect(human.Locator(".block-value")).ToHaveTextAsync(original);
        await Expect(human.Locator(".block-meta")).ToContainTextAsync("by system");
    }

    [Fact]
    public async Task EditBlock_InvalidValue_ExplainedAndTextKept()
    {
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(NewUser());
        await chat.NewChatAsync("Invalid memory");
        var human = chat.Block("human");
        var tooLong = new string('x', 20_000);

        await human.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await human.GetByLabel("Edit human").FillAsync(tooLong);
        await human.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(human.Locator(".edit-message")).ToContainTextAsync("That value was not accepted.");
        await Expect(human.GetByLabel("Edit human")).ToHaveValueAsync(tooLong);
        await Expect(human.Locator(".block-meta")).ToContainTextAsync("version 1");
    }
}
