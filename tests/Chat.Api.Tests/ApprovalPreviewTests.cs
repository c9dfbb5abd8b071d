namespace LettaPlatform.Chat.Api.Tests;

/// <summary>
/// A call whose tool has a preview (the catalog says <c>diff</c>) is shown with it while it waits for the
/// person: chat-api asks tool-execution (<c>PreviewToolCall</c>) before emitting <c>approval_required</c>, and
/// keeps it for the session's <c>pendingApproval</c>. A preview that is refused or does not come is a note.
/// </summary>
public sealed class ApprovalPreviewTests(ChatFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProposedChange_TheApprovalEventAndThePendingApprovalCarryItsDiff()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();

        var events = await client.StreamMessageAsync(sessionId, Propose("octo/docs"));

        var approval = Assert.Single(events, e => e.Type == "approval_required");
        var preview = approval.Data["preview"]!;
        Assert.Equal(("diff", StandIns.PreviewDiff, false, "Against main: 1 changed file."),
            (preview["kind"]!.GetValue<string>(), preview["text"]!.GetValue<string>(), preview["truncated"]!.GetValue<bool>(), preview["note"]!.GetValue<string>()));
        var asked = Assert.Single(fixture.StandIns.Previews, p => p.ToolCallId == approval.Str("toolCallId"));
        Assert.Equal(("propose_documentation_change", approval.Str("arguments")), (asked.ToolName, asked.ArgumentsJson));
        Assert.Equal("awaiting_approval", events[^1].Str("status"));
        Assert.DoesNotContain(fixture.StandIns.ToolCalls, c => c.ToolCallId == approval.Str("toolCallId"));

        var session = await client.Http.GetFromJsonAsync<JsonObject>($"/api/chat/sessions/{sessionId}", Token);
        Assert.Equal(StandIns.PreviewDiff, session!["pendingApproval"]!["preview"]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("octo/secret", "The call will be refused (repository_not_allowed).")]
    [InlineData("octo/silent", "The change could not be previewed: the tool service did not answer in time.")]
    public async Task PreviewRefusedOrMissing_TheCallStillWaitsForThePerson_WithANoteSayingWhy(string repository, string note)
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();

        var events = await client.StreamMessageAsync(sessionId, Propose(repository));

        var preview = Assert.Single(events, e => e.Type == "approval_required").Data["preview"]!;
        Assert.Null(preview["text"]);
        Assert.StartsWith(note, preview["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("awaiting_approval", events[^1].Str("status"));
    }

    [Fact]
    public async Task ToolWithoutAPreview_IsNotPreviewed()
    {
        using var client = new ChatClient(fixture.Chat.CreateClientFor($"user-{Guid.NewGuid():N}"));
        var sessionId = await client.CreateSessionIdAsync();

        var events = await client.StreamMessageAsync(sessionId, "open a pull request in octo/hello from feature to main: Add greeting");

        var approval = Assert.Single(events, e => e.Type == "approval_required");
        Assert.Null(approval.Data["preview"]);
        Assert.DoesNotContain(fixture.StandIns.Previews, p => p.ToolCallId == approval.Str("toolCallId"));
    }

    private static string Propose(string repository) =>
        $$"""/tool propose_documentation_change {"repository":"{{repository}}","title":"Greet the world","files":[{"path":"README.md","content":"# Hello, world\n"}]}""";
}
