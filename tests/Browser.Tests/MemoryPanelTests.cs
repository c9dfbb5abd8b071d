using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LettaPlatform.Browser.Tests;

/// <summary>The memory panel beside the chat: the agent's edits, a person's edits, history, rollback and snapshots.</summary>
public class MemoryPanelTests(BrowserPlatform platform, BrowserFixture browser)
{
    private static string NewUser() => $"mem-{Guid.NewGuid():N}"[..16];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The crossing edits memory-sync's own conflict tests make: the agent's block changes in Letta with no
    /// turn that memory-sync would record, then the person saves the version they last saw.
    /// </summary>
    private async Task MakeConflictAsync(ChatPage chat, string lettaAgentId, string agentValue, string userValue)
    {
        using (var letta = platform.CreateLettaClient())
        {
            using var patched = await letta.PatchAsJsonAsync($"/v1/agents/{lettaAgentId}/core-memory/blocks/human", new { value = agentValue }, Ct);
            Assert.True(patched.IsSuccessStatusCode, $"LettaDev answered {(int)patched.StatusCode} to the agent's edit");
        }

        var human = chat.Block("human");
        await human.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await human.GetByLabel("Edit human").FillAsync(userValue);
        await human.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(human).ToHaveAttributeAsync("data-state", "conflict");
        await Expect(chat.Page.Locator("#memory-status")).ToContainTextAsync("The agent changed human at the same time as you.");
    }

    private async Task<string> LettaAgentIdAsync(string user)
    {
        using var api = await platform.CreateUserClientAsync(user, Ct);
        var sessions = await api.GetFromJsonAsync<JsonObject>("/api/chat/sessions", Ct);
        var agentId = sessions!["items"]![0]!["agentId"]!.GetValue<string>();
        var agent = await api.GetFromJsonAsync<JsonObject>($"/api/agents/{agentId}", Ct);
        return agent!["lettaAgentId"]!.GetValue<string>();
    }

    private async Task<string> LettaBlockValueAsync(string lettaAgentId)
    {
        using var letta = platform.CreateLettaClient();
        var block = await letta.GetFromJsonAsync<JsonObject>($"/v1/agents/{lettaAgentId}/core-memory/blocks/human", Ct);
        return block!["value"]!.GetValue<string>();
    }

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
        var human = chat.Block("human");
        var original = await human.Locator(".block-value").InnerTextAsync();

        await chat.Page.GetByRole(AriaRole.Button, new() { Name = "Take snapshot" }).ClickAsync();
        await Expect(chat.Page.Locator("#snapshots li[data-snapshot-id]")).ToHaveCountAsync(1);

        await human.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await human.GetByLabel("Edit human").FillAsync("Changed after the snapshot");
        await human.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(human.Locator(".block-value")).ToHaveTextAsync("Changed after the snapshot");
        await chat.ScreenshotAsync("12-memory-snapshots");

        var restore = chat.Page.Locator("#snapshots li[data-snapshot-id]").GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Restore the snapshot of ") });
        var dialog = chat.Page.GetByRole(AriaRole.Dialog, new() { Name = "Restore this snapshot?" });
        await restore.ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("18-restore-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(restore).ToBeFocusedAsync();
        await Expect(human.Locator(".block-value")).ToHaveTextAsync("Changed after the snapshot");

        await restore.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Restore snapshot" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(human.Locator(".block-value")).ToHaveTextAsync(original);
        await Expect(human.Locator(".block-meta")).ToContainTextAsync("by system");
        await Expect(restore).ToBeFocusedAsync();
    }

    [Fact]
    public async Task ConflictedBlock_KeepTheAgentsVersion_ShowsSyncedWithTheNewVersion()
    {
        var user = NewUser();
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(user);
        await chat.NewChatAsync("Conflict");
        var human = chat.Block("human");
        var lettaAgentId = await LettaAgentIdAsync(user);

        await MakeConflictAsync(chat, lettaAgentId, agentValue: "Edited by the agent.", userValue: "Edited by the person.");
        var conflict = human.Locator("section.conflict");
        await Expect(human.Locator(".status")).ToHaveTextAsync("conflict");
        await Expect(conflict).ToBeFocusedAsync();
        await Expect(conflict.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Conflict in human");
        await Expect(conflict.Locator(".conflict-user")).ToHaveTextAsync("Edited by the person.");
        await Expect(conflict.Locator(".conflict-agent")).ToHaveTextAsync("Edited by the agent.");
        await Expect(human.GetByRole(AriaRole.Button, new() { Name = "Edit" })).ToBeHiddenAsync();
        var conflictVersion = await chat.BlockVersionAsync("human");
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("19-memory-conflict");

        await conflict.GetByRole(AriaRole.Button, new() { Name = "Keep the agent's version" }).ClickAsync();

        await Expect(human.Locator(".status")).ToHaveTextAsync("synced");
        await Expect(human.Locator(".block-value")).ToHaveTextAsync("Edited by the agent.");
        await Expect(human.Locator("section.conflict")).ToHaveCountAsync(0);
        await Expect(human.GetByRole(AriaRole.Button, new() { Name = "Edit" })).ToBeFocusedAsync();
        Assert.True(await chat.BlockVersionAsync("human") > conflictVersion);
        await Expect(human.Locator(".block-meta")).ToContainTextAsync($"version {await chat.BlockVersionAsync("human")}, by user");
        await Expect(chat.Page.Locator("#memory-status")).ToContainTextAsync("Resolved human: kept the agent's version.");
        Assert.Equal("Edited by the agent.", await LettaBlockValueAsync(lettaAgentId));
    }

    [Fact]
    public async Task ConflictedBlock_MergedByKeyboardOnANarrowScreen_ThatValueReachesTheAgent()
    {
        var user = NewUser();
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl, width: 390, height: 844);
        await chat.SignInAsync(user);
        await chat.NewChatAsync("Merge");
        var human = chat.Block("human");
        var lettaAgentId = await LettaAgentIdAsync(user);
        await MakeConflictAsync(chat, lettaAgentId, agentValue: "Editor: Neovim", userValue: "Name: Ada");
        var conflict = human.Locator("section.conflict");
        var keyboard = chat.Page.Keyboard;
        await Expect(conflict).ToBeFocusedAsync();

        // Escape leaves the merge without resolving anything.
        var merge = conflict.GetByRole(AriaRole.Button, new() { Name = "Write a merged version" });
        await merge.FocusAsync();
        await keyboard.PressAsync("Enter");
        var merged = conflict.GetByLabel("Merged human (starts as your version; both are shown above)");
        await Expect(merged).ToBeFocusedAsync();
        await Expect(merged).ToHaveValueAsync("Name: Ada");
        await keyboard.PressAsync("Escape");
        await Expect(merge).ToBeFocusedAsync();
        await Expect(human.Locator(".status")).ToHaveTextAsync("conflict");

        await keyboard.PressAsync("Enter");
        await keyboard.PressAsync("End");
        await keyboard.TypeAsync("\nEditor: Neovim");
        Assert.True(await chat.SidewaysOverflowAsync() <= 0, "the conflict panel makes the page scroll sideways");
        Assert.Empty(await chat.AccessibilityViolationsAsync());
        await chat.ScreenshotAsync("20-memory-conflict-merge-narrow");
        await keyboard.PressAsync("Tab");
        await Expect(conflict.GetByRole(AriaRole.Button, new() { Name = "Save merged version" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");

        await Expect(human.Locator(".status")).ToHaveTextAsync("synced");
        await Expect(human.Locator(".block-value")).ToHaveTextAsync("Name: Ada\nEditor: Neovim");
        await Expect(chat.Page.Locator("#memory-status")).ToContainTextAsync("kept your merged version");
        Assert.Equal("Name: Ada\nEditor: Neovim", await LettaBlockValueAsync(lettaAgentId));
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

        await Expect(human.Locator(".edit-message")).ToContainTextAsync("Invalid memory block. The value is 20000 characters long; this block's limit is");
        await Expect(human.GetByLabel("Edit human")).ToHaveValueAsync(tooLong);
        await Expect(human.Locator(".block-meta")).ToContainTextAsync("version 1");
    }

    [Fact]
    public async Task Insights_PersonUndoesTheAgentsEdit_PanelSaysSoAndWhatToDo()
    {
        var user = NewUser();
        await using var chat = await ChatPage.OpenAsync(browser, platform.GatewayUrl);
        await chat.SignInAsync(user);
        await chat.NewChatAsync("Insights");
        string original;
        using (var api = await platform.CreateUserClientAsync(user, Ct))
        {
            var sessions = await api.GetFromJsonAsync<JsonObject>("/api/chat/sessions", Ct);
            var agentId = sessions!["items"]![0]!["agentId"]!.GetValue<string>();
            var block = await api.GetFromJsonAsync<JsonObject>($"/api/memory/agents/{agentId}/blocks/human", Ct);
            original = block!["value"]!.GetValue<string>();
        }

        await chat.SendAsync("remember that I prefer tabs");
        await chat.WaitForReplyDoneAsync();
        var human = chat.Block("human");
        await Expect(human.Locator(".block-meta")).ToContainTextAsync("by agent");
        await human.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await human.GetByLabel("Edit human").FillAsync(original);
        await human.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(human.Locator(".block-meta")).ToContainTextAsync("by user");

        await chat.Page.Locator("#insights-box summary").ClickAsync();

        var undone = chat.Page.Locator("#insights li[data-kind='reverted_edits'][data-label='human']");
        await Expect(undone).ToContainTextAsync("1 edit the agent made to human was undone in the last 30 days.");
        await Expect(undone.Locator(".insight-action")).ToContainTextAsync("tell it in the chat what to remember instead");
        await Expect(chat.Page.Locator("#insights-blocks li[data-label='human']")).ToContainTextAsync("1 agent edit, 1 edit by you, 0 rollbacks, 0 restores; 1 agent edit undone.");
        await chat.ScreenshotAsync("30-memory-insights");
    }
}
