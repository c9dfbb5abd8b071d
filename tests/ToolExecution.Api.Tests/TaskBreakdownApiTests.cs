using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LettaPlatform.ToolExecution.Api.Tests.TestHost;
using static LettaPlatform.ToolExecution.Api.Tests.TestHost.ToolExecutionHost;

namespace LettaPlatform.ToolExecution.Api.Tests;

/// <summary>Subtasks and progress in the public tasks API, as the web page reads them.</summary>
public sealed class TaskBreakdownApiTests(ToolExecutionHost service) : IClassFixture<ToolExecutionHost>
{
    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task BreakDown_OwnTask_AnswersTheTaskWithOrderedSubtasksAndProgress_AndTheListNestsThem()
    {
        using var client = service.CreateClientFor(NewUser());
        var id = await CreateAsync(client, new { title = "Move office", projectId = "ops" });

        var response = await client.PostAsJsonAsync($"/api/tasks/{id}/subtasks", new { titles = new[] { "Pack", "Hire movers" } }, CancellationToken);
        var again = await Body(await client.PostAsJsonAsync($"/api/tasks/{id}/subtasks", new { titles = new[] { "Unpack" } }, CancellationToken));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["1 Pack", "2 Hire movers", "3 Unpack"], Subtasks(again));
        Assert.Equal((0, 3), Progress(again));
        var pack = again["subtasks"]![0]!["id"]!.GetValue<string>();
        Assert.Equal((id, "ops"), (S(again["subtasks"]![0]!, "parentId"), S(again["subtasks"]![0]!, "projectId")));

        await client.PatchAsJsonAsync($"/api/tasks/{pack}", new { status = "done" }, CancellationToken);
        var fetched = await Body(await client.GetAsync($"/api/tasks/{id}", CancellationToken));
        Assert.Equal((1, 3), Progress(fetched));

        var topLevel = (await Body(await client.GetAsync("/api/tasks?topLevel=true", CancellationToken)))["items"]!.AsArray();
        var parent = Assert.Single(topLevel)!;
        Assert.Equal(["1 Pack", "2 Hire movers", "3 Unpack"], Subtasks(parent));
        Assert.Equal(4, (await Body(await client.GetAsync("/api/tasks", CancellationToken)))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task BreakDown_AnotherUsersTask_Answers404AndTheOwnerSeesNoChange()
    {
        using var owner = service.CreateClientFor(NewUser());
        using var intruder = service.CreateClientFor(NewUser());
        var id = await CreateAsync(owner, new { title = "Private" });

        var response = await intruder.PostAsJsonAsync($"/api/tasks/{id}/subtasks", new { titles = new[] { "Sneak in" } }, CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("task_not_found", S(await Body(response), "code"));
        Assert.Empty((await Body(await owner.GetAsync($"/api/tasks/{id}", CancellationToken)))["subtasks"]!.AsArray());
        Assert.Empty((await Body(await intruder.GetAsync("/api/tasks?topLevel=true", CancellationToken)))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"titles":[]}""")]
    [InlineData("""{"titles":["ok","  "]}""")]
    [InlineData("""{}""")]
    [InlineData("""{"titles":"Pack"}""")]
    public async Task BreakDown_InvalidBody_Answers400AndAddsNothing(string body)
    {
        using var client = service.CreateClientFor(NewUser());
        var id = await CreateAsync(client, new { title = "Keep me whole" });

        var response = await client.PostAsync($"/api/tasks/{id}/subtasks", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Single((await Body(await client.GetAsync("/api/tasks", CancellationToken)))["items"]!.AsArray());
    }

    [Fact]
    public async Task BreakDown_ASubtask_Answers422()
    {
        using var client = service.CreateClientFor(NewUser());
        var id = await CreateAsync(client, new { title = "Parent" });
        var child = S((await Body(await client.PostAsJsonAsync($"/api/tasks/{id}/subtasks", new { titles = new[] { "Child" } }, CancellationToken)))["subtasks"]![0]!, "id");

        var response = await client.PostAsJsonAsync($"/api/tasks/{child}/subtasks", new { titles = new[] { "Grandchild" } }, CancellationToken);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("unprocessable", S(await Body(response), "code"));
    }

    [Fact]
    public async Task Progress_CountsTheCallersTasks_MarksOverdueAndDueSoon_AndNeverAnotherUsers()
    {
        using var client = service.CreateClientFor(NewUser());
        using var other = service.CreateClientFor(NewUser());
        await CreateAsync(other, new { title = "Theirs", dueDate = Day(-3) });
        var late = await CreateAsync(client, new { title = "Late", projectId = "web", dueDate = Day(-3) });
        await CreateAsync(client, new { title = "Soon", projectId = "web", dueDate = Day(2) });
        var done = await CreateAsync(client, new { title = "Done", dueDate = Day(-5) });
        await client.PatchAsJsonAsync($"/api/tasks/{done}", new { status = "done" }, CancellationToken);

        var report = await Body(await client.GetAsync($"/api/tasks/progress?since={Day(0)}", CancellationToken));

        Assert.Equal((3, 2, 1), (I(report, "total"), I(report["byStatus"]!, "todo"), I(report["byStatus"]!, "done")));
        Assert.Equal([late], report["overdue"]!["tasks"]!.AsArray().Select(t => S(t!, "id")));
        Assert.Equal(["Soon"], report["dueSoon"]!["tasks"]!.AsArray().Select(t => S(t!, "title")));
        Assert.Equal(["Done"], report["changes"]!["completed"]!["tasks"]!.AsArray().Select(t => S(t!, "title")));
        var listed = (await Body(await client.GetAsync("/api/tasks?overdue=true", CancellationToken)))["items"]!.AsArray();
        Assert.True(Assert.Single(listed)!["overdue"]!.GetValue<bool>());
        Assert.Equal(0, I(await Body(await client.GetAsync("/api/tasks/progress?projectId=nothing-here", CancellationToken)), "total"));
    }

    [Theory]
    [InlineData("/api/tasks/progress?since=yesterday")]
    [InlineData("/api/tasks/progress?dueSoonDays=0")]
    [InlineData("/api/tasks/progress?projectId=has%20space")]
    [InlineData("/api/tasks?priority=urgent")]
    [InlineData("/api/tasks?dueBefore=31-12-2026")]
    [InlineData("/api/tasks?overdue=maybe")]
    public async Task Query_BadValue_Answers400ProblemDetails(string url)
    {
        using var client = service.CreateClientFor(NewUser());

        var response = await client.GetAsync(url, CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<string> CreateAsync(HttpClient client, object task) =>
        S(await Body(await client.PostAsJsonAsync("/api/tasks", task, CancellationToken)), "id");

    private static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd");

    private static List<string> Subtasks(JsonNode task) =>
        [.. task["subtasks"]!.AsArray().Select(s => $"{s!["position"]} {S(s, "title")}")];

    private static (int, int) Progress(JsonNode task) => (I(task["progress"]!, "done"), I(task["progress"]!, "total"));

    private static async Task<JsonObject> Body(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>(CancellationToken))!;

    private static string S(JsonNode node, string name) => node[name]!.GetValue<string>();

    private static int I(JsonNode node, string name) => node[name]!.GetValue<int>();
}
