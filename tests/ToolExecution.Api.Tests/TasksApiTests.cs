using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.ToolExecution.Api.Tests.TestHost;
using static LettaPlatform.ToolExecution.Api.Tests.TestHost.ToolExecutionHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

public sealed class TasksApiTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateGetPatch_OwnTask_RoundTrips()
    {
        using var client = service.CreateClientFor(NewUser());

        var created = await client.PostAsJsonAsync("/api/tasks", new { title = "Plan sprint", projectId = "alpha", priority = "high", dueDate = "2026-12-01" }, CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var task = await Body(created);
        var id = task["id"]!.GetValue<string>();
        Assert.Equal($"/api/tasks/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(("todo", "high", "alpha", "2026-12-01"), (S(task, "status"), S(task, "priority"), S(task, "projectId"), S(task, "dueDate")));

        var patched = await client.PatchAsJsonAsync($"/api/tasks/{id}", new { status = "done", dueDate = (string?)null }, CancellationToken);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        var fetched = await Body(await client.GetAsync($"/api/tasks/{id}", CancellationToken));
        Assert.Equal(("done", "Plan sprint"), (S(fetched, "status"), S(fetched, "title")));
        Assert.Null(fetched["dueDate"]);
    }

    [Fact]
    public async Task Create_InvalidBody_AnswersValidationProblemAndStoresNothing()
    {
        using var client = service.CreateClientFor(NewUser());

        var response = await client.PostAsJsonAsync("/api/tasks", new { title = " ", priority = "urgent", dueDate = "31/12/2026", projectId = "has space" }, CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await Body(response))["errors"]!.AsObject();
        Assert.Equal(["dueDate", "priority", "projectId", "title"], errors.Select(e => e.Key).Order());
        Assert.Empty((await Body(await client.GetAsync("/api/tasks", CancellationToken)))["items"]!.AsArray());
    }

    [Fact]
    public async Task Patch_InvalidField_AnswersValidationProblemAndChangesNothing()
    {
        using var client = service.CreateClientFor(NewUser());
        var id = S(await Body(await client.PostAsJsonAsync("/api/tasks", new { title = "Keep me" }, CancellationToken)), "id");

        var response = await client.PatchAsJsonAsync($"/api/tasks/{id}", new { status = "finished", title = "Changed", owner = "bob" }, CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var task = await Body(await client.GetAsync($"/api/tasks/{id}", CancellationToken));
        Assert.Equal(("Keep me", "todo"), (S(task, "title"), S(task, "status")));
    }

    [Theory]
    [InlineData("""{"title":"Changed","status":"finished"}""", "status")]
    [InlineData("""{"title":"Changed","dueDate":"31/12/2026"}""", "dueDate")]
    [InlineData("""{"title":"  "}""", "title")]
    [InlineData("""{"title":"Changed","owner":"bob"}""", "owner")]
    public async Task Patch_BreakingARuleDeclaredOnTheRequest_AnswersValidationFailedNamingTheFieldAndChangesNothing(string body, string field)
    {
        using var client = service.CreateClientFor(NewUser());
        var id = S(await Body(await client.PostAsJsonAsync("/api/tasks", new { title = "Keep me", dueDate = "2026-12-01" }, CancellationToken)), "id");

        var response = await client.PatchAsync($"/api/tasks/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Body(response);
        Assert.Equal(("validation_failed", "The request is not valid"), (S(problem, "code"), S(problem, "title")));
        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
        var task = await Body(await client.GetAsync($"/api/tasks/{id}", CancellationToken));
        Assert.Equal(("Keep me", "todo", "2026-12-01"), (S(task, "title"), S(task, "status"), S(task, "dueDate")));
    }

    [Fact]
    public async Task List_StatusOutsideItsValues_AnswersValidationFailedNamingStatus()
    {
        using var client = service.CreateClientFor(NewUser());

        var response = await client.GetAsync("/api/tasks?status=someday", CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Body(response);
        Assert.Equal("validation_failed", S(problem, "code"));
        Assert.Equal(["status must be one of todo, in_progress, done."], problem["errors"]!["status"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public async Task AnotherUsersTask_IsNotFoundForReadAndChange_AndNotListed()
    {
        using var owner = service.CreateClientFor(NewUser());
        using var intruder = service.CreateClientFor(NewUser());
        var id = S(await Body(await owner.PostAsJsonAsync("/api/tasks", new { title = "Private plans" }, CancellationToken)), "id");

        var read = await intruder.GetAsync($"/api/tasks/{id}", CancellationToken);
        var change = await intruder.PatchAsJsonAsync($"/api/tasks/{id}", new { title = "Hijacked" }, CancellationToken);
        var list = await Body(await intruder.GetAsync("/api/tasks", CancellationToken));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (read.StatusCode, change.StatusCode));
        Assert.DoesNotContain("Private plans", await read.Content.ReadAsStringAsync(CancellationToken));
        Assert.Empty(list["items"]!.AsArray());
        Assert.Equal("Private plans", S(await Body(await owner.GetAsync($"/api/tasks/{id}", CancellationToken)), "title"));
    }

    [Fact]
    public async Task List_PagesWithCursorAndFilters()
    {
        using var client = service.CreateClientFor(NewUser());
        for (var i = 0; i < 5; i++)
        {
            await client.PostAsJsonAsync("/api/tasks", new { title = $"Task {i}", projectId = i % 2 == 0 ? "even" : "odd" }, CancellationToken);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Body(await client.GetAsync($"/api/tasks?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}", CancellationToken));
            seen.AddRange(page["items"]!.AsArray().Select(t => S(t!, "title")));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(["Task 4", "Task 3", "Task 2", "Task 1", "Task 0"], seen);
        var even = await Body(await client.GetAsync("/api/tasks?projectId=even", CancellationToken));
        Assert.Equal(3, even["items"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/tasks?cursor=not-a-cursor", CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/tasks?limit=500", CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/tasks?status=someday", CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task TaskCreatedThroughTheBus_IsVisibleThroughTheApi()
    {
        var user = NewUser();
        var agent = service.AddAgentWithAllTools(user);
        await service.ExecuteAsync(Call(user, agent, "create_task", """{"title":"From the agent"}"""));
        using var client = service.CreateClientFor(user);

        var list = await Body(await client.GetAsync("/api/tasks", CancellationToken));

        Assert.Equal("From the agent", S(Assert.Single(list["items"]!.AsArray())!, "title"));
    }

    [Fact]
    public async Task Request_WithoutToken_IsUnauthorized()
    {
        using var client = service.CreateClient();

        var response = await client.GetAsync("/api/tasks", CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<JsonObject> Body(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;

    private static string S(JsonNode node, string name) => node[name]!.GetValue<string>();
}
