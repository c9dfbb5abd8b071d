using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LettaPlatform.Contracts.ToolExecution;
using LettaPlatform.ToolExecution.Api.Data;
using LettaPlatform.ToolExecution.Api.Model;
using LettaPlatform.ToolExecution.Api.Tests.TestHost;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LettaPlatform.ToolExecution.Api.Tests.TestHost.ToolExecutionHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

/// <summary>
/// Unstorable or malformed input answers a 400 problem and writes nothing; a tool call from an agent
/// whose arguments hold NUL is refused and audited (not faulted); a 255-character sub works.
/// </summary>
public sealed class HardeningTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"title":"a\u0000b"}""")]
    [InlineData("""{"title":"ok","description":"x\u0000"}""")]
    [InlineData("""{"title":"\udfff"}""")]
    [InlineData("""{"title":["x"]}""")]
    [InlineData("""null""")]
    public async Task CreateTask_UnstorableOrMalformed_Answers400AndStoresNothing(string body)
    {
        var user = NewUser();
        using var client = service.CreateClientFor(user);

        using var response = await client.PostAsync("/api/tasks", Json(body), Token);

        await AssertProblemAsync(response);
        Assert.Empty(await TasksAsync(user));
    }

    [Theory]
    [InlineData("""{"title":"a\u0000b"}""")]
    [InlineData("""{"description":"\ud800"}""")]
    [InlineData("""{"status":5}""")]
    [InlineData("""[]""")]
    public async Task PatchTask_UnstorableOrMalformed_Answers400AndChangesNothing(string body)
    {
        var user = NewUser();
        using var client = service.CreateClientFor(user);
        var created = await (await client.PostAsJsonAsync("/api/tasks", new { title = "Original" }, Token)).Content.ReadFromJsonAsync<JsonObject>(Token);
        var id = created!["id"]!.GetValue<string>();

        using var response = await client.PatchAsync($"/api/tasks/{id}", Json(body), Token);

        await AssertProblemAsync(response);
        Assert.Equal("Original", Assert.Single(await TasksAsync(user)).Title);
    }

    [Theory]
    [InlineData("/api/tasks?projectId=%00")]
    [InlineData("/api/tasks?limit=abc")]
    [InlineData("/api/tasks?limit=2147483648")]
    [InlineData("/api/tasks?cursor=%2F%2F")]
    [InlineData("/api/tool-executions?sessionId=not-a-guid")]
    [InlineData("/api/tool-executions?limit=1&limit=2")]
    public async Task List_BadQuery_Answers400Problem(string path)
    {
        using var client = service.CreateClientFor(NewUser());

        using var response = await client.GetAsync(path, Token);

        await AssertProblemAsync(response);
    }

    [Fact]
    public async Task GitHubPut_NulInToken_Answers400AndConnectsNothing()
    {
        using var client = service.CreateClientFor(NewUser());

        using var response = await client.PutAsync("/api/integrations/github", Json("""{"token":"ghp_\u0000"}"""), Token);
        var state = await client.GetFromJsonAsync<JsonObject>("/api/integrations/github", Token);

        await AssertProblemAsync(response);
        Assert.False(state!["connected"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ToolCall_ArgumentsWithNul_IsDeniedAndAuditedWithoutFaulting()
    {
        var user = NewUser();
        var agent = service.AddAgent(user, ("create_task", false));

        var executed = await service.ExecuteAsync(Call(user, agent, "create_task", """{"title":"bad\u0000title"}"""));

        Assert.Equal((ToolCallStatus.Denied, "unstorable_text"), (executed.Status, executed.ErrorCode()));
        Assert.Empty(await TasksAsync(user));
        var audit = Assert.Single(await AuditAsync(user));
        Assert.Equal((AuditDecisions.Denied, "unstorable_text"), (audit.Decision, audit.Reason));
        Assert.Contains("bad\uFFFDtitle", audit.Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Task_SubjectOf255Characters_IsCreatedAndListed()
    {
        var user = NewUser() + new string('z', 255 - NewUser().Length);
        using var client = service.CreateClientFor(user);

        using var created = await client.PostAsJsonAsync("/api/tasks", new { title = "Long subject" }, Token);
        var list = await client.GetFromJsonAsync<JsonObject>("/api/tasks", Token);

        Assert.Equal(255, user.Length);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Single(list!["items"]!.AsArray());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task AssertProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.False(string.IsNullOrWhiteSpace(problem["code"]?.GetValue<string>()), text);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), text);
    }

    private async Task<List<ToolExecutionEntry>> AuditAsync(string userId)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ToolExecutionDbContext>().ToolExecutions
            .Where(e => e.UserId == userId).ToListAsync(Token);
    }

    private async Task<List<TaskItem>> TasksAsync(string userId)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ToolExecutionDbContext>().Tasks
            .Where(t => t.UserId == userId).ToListAsync(Token);
    }
}

/// <summary>Idempotency-Key on task creation.</summary>
public sealed class TaskIdempotencyTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateTask_SameKeySameBody_ReplaysTheFirstTaskAndCreatesOne()
    {
        using var client = service.CreateClientFor(NewUser());
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(client, key, "Once");
        var second = await PostAsync(client, key, "Once");
        var list = await client.GetFromJsonAsync<JsonObject>("/api/tasks", Token);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(first, second);
        Assert.Single(list!["items"]!.AsArray());
    }

    [Fact]
    public async Task CreateTask_SameKeyDifferentBody_Answers422()
    {
        using var client = service.CreateClientFor(NewUser());
        var key = Guid.NewGuid().ToString();
        await PostAsync(client, key, "First");

        var second = await PostAsync(client, key, "Second");
        var list = await client.GetFromJsonAsync<JsonObject>("/api/tasks", Token);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.Status);
        Assert.Single(list!["items"]!.AsArray());
    }

    [Theory]
    [InlineData(256)]
    [InlineData(0)]
    public async Task CreateTask_UnusableKey_Answers400(int length)
    {
        var key = length == 0 ? "ключ" : new string('k', length);
        using var client = service.CreateClientFor(NewUser());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tasks") { Content = JsonContent.Create(new { title = "x" }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        using var response = await client.SendAsync(request, Token);
        var list = await client.GetFromJsonAsync<JsonObject>("/api/tasks", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(list!["items"]!.AsArray());
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, string key, string title)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tasks") { Content = JsonContent.Create(new { title }) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request, Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Token));
    }
}

/// <summary>Refusals made before the guard (by chat-api or a person) land in the audit ledger, once each.</summary>
public sealed class RefusalAuditTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    [Theory]
    [InlineData(LettaPlatform.Contracts.Chat.ToolCallRefusals.ToolNotAllowed, null)]
    [InlineData(LettaPlatform.Contracts.Chat.ToolCallRefusals.TurnLimitExceeded, null)]
    [InlineData(LettaPlatform.Contracts.Chat.ToolCallRefusals.DeniedByUser, "self")]
    public async Task ToolCallRefused_PublishedTwice_IsOneDeniedLedgerRow(string reason, string? decidedBy)
    {
        var user = NewUser();
        var refusal = new LettaPlatform.Contracts.Chat.ToolCallRefused
        {
            UserId = user,
            AgentId = Guid.NewGuid(),
            SessionId = Guid.NewGuid(),
            ToolCallId = $"call_{Guid.NewGuid():N}",
            ToolName = "create_pull_request",
            ArgumentsJson = """{"title":"x\u0000"}""",
            Reason = reason,
            Message = "Refused.",
            DecidedBy = decidedBy == "self" ? user : null,
            RefusedAt = DateTimeOffset.UtcNow,
        };
        var bus = service.Services.GetRequiredService<MassTransit.IBus>();
        var messageId = Guid.NewGuid();

        await bus.Publish(refusal, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await bus.Publish(refusal, context => context.MessageId = messageId, TestContext.Current.CancellationToken);

        var rows = await WaitForAuditAsync(user);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        rows = await AuditAsync(user);
        var row = Assert.Single(rows);
        Assert.Equal((AuditDecisions.Denied, reason, ToolCallStatus.Denied), (row.Decision, row.Reason, row.Status));
        Assert.Equal(refusal.ToolCallId, row.ToolCallId);
    }

    private async Task<List<ToolExecutionEntry>> WaitForAuditAsync(string userId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var rows = await AuditAsync(userId);
            if (rows.Count > 0 || DateTime.UtcNow > deadline)
            {
                return rows;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private async Task<List<ToolExecutionEntry>> AuditAsync(string userId)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ToolExecutionDbContext>().ToolExecutions
            .Where(e => e.UserId == userId).ToListAsync(TestContext.Current.CancellationToken);
    }
}
