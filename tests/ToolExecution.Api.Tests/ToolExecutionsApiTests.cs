using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.Tests.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LettaPlatform.ToolExecution.Api.Tests.TestHost.ToolExecutionHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

public sealed class ToolExecutionsApiTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_ShowsTheCallersDecisionsNewestFirst_FilteredBySession()
    {
        var user = NewUser();
        var agent = service.AddAgentWithAllTools(user);
        var session = Guid.NewGuid();
        var call = Call(user, agent, "create_task", """{"title":"Audited","password":"hunter2"}""", sessionId: session);
        await service.ExecuteAsync(call);
        await service.ExecuteAsync(Call(user, agent, "create_task", """{"title":"Audited"}""", sessionId: session));
        await service.ExecuteAsync(Call(user, agent, "create_task", """{"title":"Audited"}""", sessionId: session) with { ToolCallId = "call_again" });
        await service.ExecuteAsync(Call(user, agent, "create_task", """{"title":"Audited"}""", sessionId: session) with { ToolCallId = "call_again" });
        await service.ExecuteAsync(Call(user, agent, "query_tasks", "{}"));
        using var client = service.CreateClientFor(user);

        var entries = (await client.GetFromJsonAsync<JsonObject>($"/api/tool-executions?sessionId={session}", CancellationToken))!["items"]!.AsArray();

        Assert.Equal(
            [("replayed", "success"), ("allowed", "success"), ("allowed", "success"), ("denied", "denied")],
            entries.Select(e => (S(e!, "decision"), S(e!, "status"))));
        var denied = entries[3]!;
        Assert.Equal(("invalid_arguments", "create_task", call.ToolCallId), (S(denied, "reason"), S(denied, "tool"), S(denied, "toolCallId")));
        Assert.Equal("[redacted]", denied["arguments"]!["password"]!.GetValue<string>());
        Assert.Contains("`password` is not an argument", S(denied, "result"));
        Assert.All(entries, e => Assert.Equal(session.ToString(), S(e!, "sessionId")));
    }

    [Theory]
    [InlineData("UPDATE tool_executions SET decision = 'allowed' WHERE user_id = @user")]
    [InlineData("DELETE FROM tool_executions WHERE user_id = @user")]
    [InlineData("TRUNCATE tool_executions")]
    public async Task Ledger_RewrittenInTheDatabase_IsRefusedAndKeepsItsRows(string statement)
    {
        var user = NewUser();
        await service.ExecuteAsync(Call(user, service.AddAgentWithAllTools(user), "create_task", """{"title":"Kept","password":"x"}"""));
        await using var scope = service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ToolExecutionDbContext>();

        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            db.Database.ExecuteSqlRawAsync(statement, [new Npgsql.NpgsqlParameter("user", user)], CancellationToken));

        Assert.Equal("42501", refused.SqlState);
        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        var rows = await db.ToolExecutions.Where(e => e.UserId == user).Select(e => e.Decision).ToListAsync(CancellationToken);
        Assert.Equal(["denied"], rows);
    }

    [Fact]
    public async Task List_NeverShowsAnotherUsersEntries()
    {
        var owner = NewUser();
        await service.ExecuteAsync(Call(owner, service.AddAgentWithAllTools(owner), "create_task", """{"title":"Owner only"}"""));
        using var intruder = service.CreateClientFor(NewUser());

        var response = await intruder.GetStringAsync("/api/tool-executions", CancellationToken);

        Assert.Empty(JsonNode.Parse(response)!["items"]!.AsArray());
        Assert.DoesNotContain("Owner only", response);
    }

    [Fact]
    public async Task List_PagesWithCursor_AndRejectsABadOne()
    {
        var user = NewUser();
        var agent = service.AddAgentWithAllTools(user);
        for (var i = 0; i < 3; i++)
        {
            await service.ExecuteAsync(Call(user, agent, "query_tasks", "{}"));
        }

        using var client = service.CreateClientFor(user);
        var first = (await client.GetFromJsonAsync<JsonObject>("/api/tool-executions?limit=2", CancellationToken))!;
        var second = (await client.GetFromJsonAsync<JsonObject>($"/api/tool-executions?limit=2&cursor={S(first, "nextCursor")}", CancellationToken))!;

        var ids = first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(e => S(e!, "id")).ToList();
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Null(second["nextCursor"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/tool-executions?cursor=%%%", CancellationToken)).StatusCode);
    }

    private static string S(JsonNode node, string name) => node[name]!.GetValue<string>();
}
