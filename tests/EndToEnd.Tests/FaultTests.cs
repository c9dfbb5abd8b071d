using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace LettaPlatform.EndToEnd.Tests;

/// <summary>Stops the servers every other test needs, so it runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(FaultCollection), DisableParallelization = true)]
public sealed class FaultCollection;

/// <summary>
/// The servers the AppHost runs fail under a bounded load of concurrent chat turns (each creating a task
/// through a tool call) and task writes: Redis and RabbitMQ are stopped for a few seconds and started
/// again, PostgreSQL is restarted — each as an operator does it, by its resource command (DCP stops the
/// process). Afterwards every request answered 2xx has its effect exactly once, no request answered 5xx
/// had its effect saved, and the platform serves again within <see cref="RecoveryBound"/>. The figures
/// are printed in the test output and kept in <c>artifacts/faults/</c>.
/// </summary>
[Collection(nameof(FaultCollection))]
public class FaultTests(EndToEndPlatform platform)
{
    private const int ChatWorkers = 3;
    private const int TaskWorkers = 3;
    private static readonly TimeSpan Warm = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan TurnPace = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan QuietWindow = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(90);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("redis", false)]
    [InlineData("messaging", false)]
    [InlineData("postgres", true)]
    public async Task ServerFailsUnderLoad_NoAcknowledgedWriteLostOrDoubled_AndThePlatformRecovers(string server, bool restart)
    {
        // One person per client: the gateway's per-user budget (300 requests a minute) is not the subject here.
        var chats = new List<(HttpClient Client, string Session)>();
        var writers = new List<HttpClient>();
        for (var i = 0; i < ChatWorkers; i++)
        {
            var client = await platform.CreateUserClientAsync($"fault-{server}-chat-{Guid.NewGuid():N}", Token);
            using var created = await client.PostAsJsonAsync("/api/chat/sessions", new { templateId = "task-manager" }, Token);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            chats.Add((client, (await created.Content.ReadFromJsonAsync<JsonObject>(Token))!["id"]!.GetValue<string>()));
        }

        for (var i = 0; i < TaskWorkers; i++)
        {
            writers.Add(await platform.CreateUserClientAsync($"fault-{server}-tasks-{Guid.NewGuid():N}", Token));
        }

        var outcomes = new ConcurrentBag<Outcome>();
        var clock = Stopwatch.StartNew();
        using var load = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var workers = chats.Select(chat => Task.Run(() => ChatLoadAsync(chat.Client, chat.Session, outcomes, clock, load.Token)))
            .Concat(writers.Select(writer => Task.Run(() => TaskLoadAsync(writer, outcomes, clock, load.Token))))
            .ToList();

        TimeSpan faultAt, backAt, healthyAt, recoveredAfter;
        bool recovered;
        try
        {
            // Warm: every chat has completed a turn with its tool call before anything fails.
            Assert.True(
                await WaitUntilAsync(() => chats.All(chat => outcomes.Any(o => o.Session == chat.Session && o.Succeeded)), Warm),
                $"not every chat completed a turn within {Warm} before the fault");
            faultAt = clock.Elapsed;
            try
            {
                await FailAndReturnAsync(server, restart);
            }
            catch
            {
                // Leave the server running for the tests after this one, whatever went wrong here.
                await platform.ExecuteCommandAsync(server, KnownResourceCommands.StartCommand, CancellationToken.None);
                throw;
            }

            backAt = clock.Elapsed;
            using (var healthy = CancellationTokenSource.CreateLinkedTokenSource(Token))
            {
                healthy.CancelAfter(RecoveryBound);
                // Right after the start command the resource may still show the state its stop left (Exited), which
                // the default wait takes for "failed to start": wait through it, until healthy or the bound.
                await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(server, WaitBehavior.WaitOnResourceUnavailable, healthy.Token);
            }

            healthyAt = clock.Elapsed;

            // Recovered once a whole quiet window has passed with no failure and with turns and task writes
            // succeeding in it: recovery is the last failure's answer (or the server's return if none failed).
            TimeSpan LastFailure() => outcomes.Where(o => o.Failed && o.At >= faultAt).Select(o => o.AnsweredAt).DefaultIfEmpty(backAt).Max();
            bool Quiet()
            {
                var from = LastFailure() > healthyAt ? LastFailure() : healthyAt;
                return clock.Elapsed - from >= QuietWindow
                    && outcomes.Count(o => o.Kind == "turn" && o.Succeeded && o.At > from) >= 2
                    && outcomes.Count(o => o.Kind == "task" && o.Succeeded && o.At > from) >= 2;
            }

            recovered = await WaitUntilAsync(Quiet, RecoveryBound - (clock.Elapsed - faultAt));
            recoveredAfter = LastFailure() - faultAt;
        }
        finally
        {
            // Whatever happened, no load outlives this test.
            await load.CancelAsync();
            await Task.WhenAll(workers);
        }

        var tasks = new List<JsonObject>();
        var messages = new List<JsonObject>();
        foreach (var (client, session) in chats)
        {
            tasks.AddRange(await AllAsync(client, "/api/tasks?limit=200"));
            messages.AddRange(await AllAsync(client, $"/api/chat/sessions/{session}/messages?limit=200"));
        }

        foreach (var writer in writers)
        {
            tasks.AddRange(await AllAsync(writer, "/api/tasks?limit=200"));
        }

        var report = Report(server, restart, outcomes, backAt - faultAt, healthyAt - faultAt, recovered ? recoveredAfter : null);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "faults");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, $"{server}.txt"), report + Environment.NewLine, Token);

        var problems = new List<string>();
        foreach (var outcome in outcomes)
        {
            var saved = tasks.Count(t => t["title"]!.GetValue<string>() == outcome.Marker);
            var asked = messages.Count(m => m["role"]!.GetValue<string>() == "user" && m["content"]!.GetValue<string>() == outcome.Text);
            var what = $"{outcome.Kind} {outcome.Marker} sent at {(outcome.At - faultAt).TotalSeconds:0.0} s (after the fault began) answered {outcome.Answer} {outcome.Detail}";
            if (outcome.Succeeded && saved != 1)
            {
                problems.Add($"{what}, but its task is saved {saved} times");
            }

            if (outcome.Status is { } status && (int)status < 300 && outcome.Kind == "turn" && outcome.ToolStatus != "success"
                && saved > (outcome.ToolCode == "outcome_unknown" ? 1 : 0))
            {
                problems.Add($"{what}: the person was told the task was {(outcome.ToolCode == "outcome_unknown" ? "created at most once" : "not created")}, but it is saved {saved} times");
            }

            if (outcome.Status is { } completedTurn && (int)completedTurn < 300 && outcome.Kind == "turn" && asked != 1)
            {
                problems.Add($"{what}, but its message is in the history {asked} times");
            }

            if (outcome.Status is { } failed && (int)failed >= 500 && saved != 0)
            {
                problems.Add($"{what}, after its task was saved");
            }

            if (outcome.Status is null && saved > 1)
            {
                problems.Add($"{what}: no answer, and its task is saved {saved} times");
            }
        }

        foreach (var client in chats.Select(chat => chat.Client).Concat(writers))
        {
            client.Dispose();
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Prepend(report)));
        Assert.True(recovered, $"the platform did not serve cleanly for {QuietWindow} within {RecoveryBound} of the fault\n{report}");
    }

    private async Task FailAndReturnAsync(string server, bool restart)
    {
        if (restart)
        {
            var restarted = await platform.ExecuteCommandAsync(server, KnownResourceCommands.RestartCommand, Token);
            Assert.True(restarted.Success, $"restart {server}: {restarted.Message}");
            return;
        }

        var stopped = await platform.ExecuteCommandAsync(server, KnownResourceCommands.StopCommand, Token);
        Assert.True(stopped.Success, $"stop {server}: {stopped.Message}");
        await Task.Delay(Outage, Token);
        var started = await platform.ExecuteCommandAsync(server, KnownResourceCommands.StartCommand, Token);
        Assert.True(started.Success, $"start {server}: {started.Message}");
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan bound)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > bound)
            {
                return false;
            }

            await Task.Delay(250, Token);
        }

        return true;
    }

    /// <summary>
    /// Turns, one at a time in a session, each asking the agent to create a task named by a new marker; at
    /// most one every <see cref="TurnPace"/>, within tool-execution's per-person budget (60 tool calls a minute).
    /// </summary>
    private static async Task ChatLoadAsync(HttpClient client, string session, ConcurrentBag<Outcome> outcomes, Stopwatch clock, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var pace = Task.Delay(TurnPace, CancellationToken.None);
            var marker = $"fault-{Guid.NewGuid():N}";
            var text = $"create a task: {marker}";
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/sessions/{session}/messages")
            {
                Content = JsonContent.Create(new { content = text }),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            outcomes.Add(await SendAsync(client, request, new Outcome("turn", session, marker, text), clock));
            await pace;
        }
    }

    private static async Task TaskLoadAsync(HttpClient client, ConcurrentBag<Outcome> outcomes, Stopwatch clock, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var marker = $"fault-{Guid.NewGuid():N}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tasks") { Content = JsonContent.Create(new { title = marker }) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            outcomes.Add(await SendAsync(client, request, new Outcome("task", null, marker, marker), clock));
            await Task.Delay(250, CancellationToken.None);
        }
    }

    private static async Task<Outcome> SendAsync(HttpClient client, HttpRequestMessage request, Outcome sent, Stopwatch clock)
    {
        sent = sent with { At = clock.Elapsed };
        try
        {
            // Not cancelled by the end of the load: a request in flight is answered, so its outcome is known.
            using var response = await client.SendAsync(request, CancellationToken.None);
            var body = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
                ? await response.Content.ReadFromJsonAsync<JsonObject>(CancellationToken.None)
                : null;
            var tool = body?["events"] is JsonArray events
                ? events.Select(e => e!.AsObject()).Where(e => e["type"]?.GetValue<string>() == "tool_result").ToList()
                : [];
            return sent with
            {
                AnsweredAt = clock.Elapsed,
                Status = response.StatusCode,
                Code = body?["code"] is JsonValue code && code.TryGetValue<string>(out var problemCode) ? problemCode : null,
                // A turn's answer has a text status; a problem's "status" is its HTTP status number.
                TurnStatus = body?["status"] is JsonValue turnStatus && turnStatus.TryGetValue<string>(out var text) ? text : null,
                ToolStatus = tool.Count == 1 ? tool[0]["status"]?.GetValue<string>() : tool.Count == 0 ? null : "several",
                ToolCode = tool.Count == 1 ? ErrorCodeOf(tool[0]["result"]?.GetValue<string>()) : null,
                Detail = tool.Count > 0 ? string.Join("; ", tool.Select(e => e["result"]?.ToString())) : null,
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // No answer at all: the client cannot know whether it happened (its effect may exist once, never twice).
            return sent with { AnsweredAt = clock.Elapsed, Code = ex.GetType().Name, Detail = ex.Message };
        }
    }

    private static string? ErrorCodeOf(string? result)
    {
        try
        {
            return result is null ? null : JsonNode.Parse(result)?["error"]?["code"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static async Task<List<JsonObject>> AllAsync(HttpClient client, string first)
    {
        // After the load, so within the person's request budget.
        var items = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var page = (await client.GetFromJsonAsync<JsonObject>(cursor is null ? first : $"{first}&cursor={Uri.EscapeDataString(cursor)}", Token))!;
            items.AddRange(page["items"]!.AsArray().Select(item => item!.AsObject()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return items;
    }

    private static string Report(string server, bool restart, ConcurrentBag<Outcome> outcomes, TimeSpan back, TimeSpan healthy, TimeSpan? recovered)
    {
        var lines = new List<string>
        {
            $"fault: {server} {(restart ? "restarted" : $"stopped for {Outage.TotalSeconds:0} s, then started")}, under {ChatWorkers} people chatting and {TaskWorkers} writing tasks",
            $"  after the fault began: server back (command done) {back.TotalSeconds:0.0} s, healthy {healthy.TotalSeconds:0.0} s, "
                + $"last failed request answered {(recovered is { } r ? $"{r.TotalSeconds:0.0} s" : $"— no clean {QuietWindow.TotalSeconds:0} s window within {RecoveryBound.TotalSeconds:0} s")}",
        };
        foreach (var kind in new[] { "turn", "task" })
        {
            var of = outcomes.Where(o => o.Kind == kind).ToList();
            var answers = of.GroupBy(o => o.Answer + (o.ToolStatus is { } tool ? $" (tool {tool}{(o.ToolCode is { } code ? $" {code}" : "")})" : ""))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key}: {g.Count()}");
            lines.Add($"  {kind}s: {of.Count} sent, {of.Count(o => o.Succeeded)} succeeded; answers {string.Join(", ", answers)}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LettaPlatform.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? Path.GetTempPath();
    }

    /// <summary>One request and how it was answered, <see cref="At"/> and <see cref="AnsweredAt"/> on the test's clock.</summary>
    private sealed record Outcome(string Kind, string? Session, string Marker, string Text)
    {
        public TimeSpan At { get; init; }

        public TimeSpan AnsweredAt { get; init; }

        public HttpStatusCode? Status { get; init; }

        public string? Code { get; init; }

        public string? TurnStatus { get; init; }

        public string? ToolStatus { get; init; }

        /// <summary>The tool result's error code (<c>outcome_unknown</c>: no answer came, so it may have run once).</summary>
        public string? ToolCode { get; init; }

        public string? Detail { get; init; }

        /// <summary>Answered 2xx and, for a turn, completed with its tool call done: the task must exist once.</summary>
        public bool Succeeded => Status is { } status && (int)status < 300 && (Kind == "task" || (TurnStatus == "completed" && ToolStatus == "success"));

        /// <summary>What a person would call a failure: an error answer, no answer, or a turn whose tool call did not run.</summary>
        public bool Failed => !Succeeded;

        public string Answer => Status is { } status ? $"{(int)status}{(Code is null ? "" : $" {Code}")}" : $"no answer ({Code})";
    }
}
