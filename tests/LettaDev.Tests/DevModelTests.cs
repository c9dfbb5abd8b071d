using System.Text.Json.Nodes;
using LettaPlatform.LettaDev.Engine;

namespace LettaPlatform.LettaDev.Tests;

/// <summary>
/// The dev model on its own: the natural phrases for the GitHub tools, the two-step requests (review a pull
/// request, propose a README change), and the sentences it answers with after a tool returned.
/// </summary>
public sealed class DevModelTests
{
    private static readonly string[] PlatformTools =
    [
        "query_tasks", "create_task", "update_task", "get_repository_info", "create_pull_request", "read_repository_contents",
        "list_pull_requests", "get_pull_request", "post_pull_request_review", "read_repository_docs", "propose_documentation_change",
    ];

    [Theory]
    [InlineData("show me src/app.cs in octo/app", "read_repository_contents", """{"repository":"octo/app","path":"src/app.cs"}""")]
    [InlineData("read docs/setup.md from octo/app at feature/x.", "read_repository_contents", """{"repository":"octo/app","path":"docs/setup.md","ref":"feature/x"}""")]
    [InlineData("list the files in octo/app", "read_repository_contents", """{"repository":"octo/app"}""")]
    [InlineData("list open pull requests in octo/app", "list_pull_requests", """{"repository":"octo/app"}""")]
    [InlineData("Show me the open PRs of octo/my.app", "list_pull_requests", """{"repository":"octo/my.app"}""")]
    [InlineData("show pull request #12 in octo/app", "get_pull_request", """{"repository":"octo/app","number":12}""")]
    [InlineData("review pull request 12 in octo/app", "get_pull_request", """{"repository":"octo/app","number":12}""")]
    [InlineData("approve PR 12 in octo/app", "post_pull_request_review", """{"repository":"octo/app","number":12,"event":"APPROVE","body":"Looks good to me."}""")]
    [InlineData("request changes on pull request 3 in octo/app: Add a test.", "post_pull_request_review", """{"repository":"octo/app","number":3,"event":"REQUEST_CHANGES","body":"Add a test."}""")]
    [InlineData("show me the docs of octo/app", "read_repository_docs", """{"repository":"octo/app"}""")]
    [InlineData("propose a README change in octo/app: Run the tests with dotnet test.", "read_repository_docs", """{"repository":"octo/app"}""")]
    [InlineData("propose a docs/setup.md change in octo/app: Also install Node.", "read_repository_contents", """{"repository":"octo/app","path":"docs/setup.md"}""")]
    public void NaturalRequest_CallsTheTool(string message, string tool, string arguments)
    {
        var step = Assert.IsType<ToolCallStep>(DevModel.Decide(Input(message)));

        Assert.Equal(tool, step.ToolName);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(arguments), JsonNode.Parse(step.Arguments)), step.Arguments);
    }

    [Fact]
    public void ReviewRequest_AfterReadingTheDiff_PostsAReviewWithACommentOnTheFirstNewLine()
    {
        var pull = Envelope(new JsonObject
        {
            ["number"] = 12,
            ["additions"] = 4,
            ["deletions"] = 0,
            ["files"] = new JsonArray(new JsonObject { ["filename"] = "src/app.cs" }, new JsonObject { ["filename"] = "docs/greeting.md" }),
            ["diff"] = Untrusted("diff --git a/src/app.cs b/src/app.cs\n--- a/src/app.cs\n+++ b/src/app.cs\n@@ -2,6 +2,7 @@\n var app = builder.Build();\n \n // x\n app.MapGet(\"/\", () => \"Hello\");\n+app.MapGet(\"/greet\", () => \"Hi\");\n \n app.Run();\n"),
        });

        var step = Assert.IsType<ToolCallStep>(DevModel.Decide(Input("", new ToolResult("get_pull_request", pull, "success"), request: "review pull request 12 in octo/app")));

        Assert.Equal("post_pull_request_review", step.ToolName);
        var args = JsonNode.Parse(step.Arguments)!;
        Assert.Equal(("octo/app", 12, "REQUEST_CHANGES"), (args["repository"]!.GetValue<string>(), args["number"]!.GetValue<int>(), args["event"]!.GetValue<string>()));
        Assert.Contains("nothing tests the new code in src/app.cs", args["body"]!.GetValue<string>(), StringComparison.Ordinal);
        var comment = args["comments"]![0]!;
        Assert.Equal(("src/app.cs", 6, "RIGHT"), (comment["path"]!.GetValue<string>(), comment["line"]!.GetValue<int>(), comment["side"]!.GetValue<string>()));
    }

    [Fact]
    public void ReadmeChangeRequest_AfterReadingTheReadme_ProposesItWithTheTextAdded()
    {
        var docs = Envelope(new JsonObject { ["repository"] = "octo/app", ["readme"] = new JsonObject { ["path"] = "README.md", ["content"] = Untrusted("# Hello\n\nRun it.\n") } });

        var step = Assert.IsType<ToolCallStep>(DevModel.Decide(Input("", new ToolResult("read_repository_docs", docs, "success"),
            request: "propose a README change in octo/app: Run the tests with `dotnet test`.")));

        Assert.Equal("propose_documentation_change", step.ToolName);
        var args = JsonNode.Parse(step.Arguments)!;
        Assert.Equal(("octo/app", "Update README.md"), (args["repository"]!.GetValue<string>(), args["title"]!.GetValue<string>()));
        Assert.Equal("README.md", args["files"]![0]!["path"]!.GetValue<string>());
        Assert.Equal("# Hello\n\nRun it.\n\nRun the tests with `dotnet test`.\n", args["files"]![0]!["content"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> Replies => new()
    {
        { "query_tasks", Envelope(new JsonObject { ["tasks"] = new JsonArray(Task("Write the report", "todo"), Task("Renew the certificate", "in_progress")) }),
            "You have 2 tasks: Write the report (todo); Renew the certificate (in progress)." },
        { "query_tasks", Envelope(new JsonObject { ["tasks"] = new JsonArray() }), "You have no tasks here." },
        { "create_task", Envelope(new JsonObject { ["created"] = Task("Water the plants", "todo") }), "I created the task \"Water the plants\"." },
        { "update_task", Envelope(new JsonObject { ["updated"] = Task("Water the plants", "done") }), "I updated the task \"Water the plants\": it is done." },
        { "create_pull_request", Envelope(new JsonObject { ["number"] = 42, ["title"] = Untrusted("Add login"), ["html_url"] = "https://github.com/octo/app/pull/42" }),
            "I opened pull request #42: Add login (https://github.com/octo/app/pull/42)." },
        { "get_pull_request", Envelope(new JsonObject
            {
                ["number"] = 12, ["title"] = Untrusted("Add greeting"), ["author"] = "hubot", ["additions"] = 40, ["deletions"] = 2, ["changed_files"] = 3,
                ["files"] = new JsonArray(new JsonObject { ["filename"] = "a.cs" }, new JsonObject { ["filename"] = "b.cs" }, new JsonObject { ["filename"] = "c.md" }),
            }),
            "Pull request #12 \"Add greeting\" by hubot changes 3 files (+40 −2): a.cs, b.cs and c.md." },
        { "list_pull_requests", Envelope(new JsonObject
            {
                ["repository"] = "octo/app",
                ["pull_requests"] = new JsonArray(new JsonObject { ["number"] = 14, ["title"] = Untrusted("Regenerate"), ["author"] = "octobot", ["draft"] = true }),
            }),
            "octo/app has 1 open pull request: #14 Regenerate (by octobot, draft)." },
        { "post_pull_request_review", Envelope(new JsonObject { ["pull_request"] = 12, ["state"] = "CHANGES_REQUESTED", ["comments"] = 1, ["html_url"] = "https://github.com/octo/app/pull/12#r1" }),
            "I posted my review of pull request #12, requesting changes, with 1 line comment (https://github.com/octo/app/pull/12#r1)." },
        { "propose_documentation_change", Envelope(new JsonObject
            {
                ["number"] = 42, ["title"] = Untrusted("Update README.md"), ["html_url"] = "https://github.com/octo/app/pull/42", ["branch"] = "docs/update-readme-md-1a2b3c4",
                ["files"] = new JsonArray("README.md"),
            }),
            "I opened pull request #42: Update README.md, proposing changes to README.md on branch docs/update-readme-md-1a2b3c4 (https://github.com/octo/app/pull/42)." },
        { "read_repository_contents", Envelope(new JsonObject { ["repository"] = "octo/app", ["path"] = "src", ["type"] = "dir",
                ["entries"] = new JsonArray(new JsonObject { ["name"] = "lib", ["type"] = "dir" }, new JsonObject { ["name"] = "app.cs", ["type"] = "file" }) }),
            "src of octo/app holds 2 entries: lib/, app.cs." },
        { "some_new_tool", Envelope(new JsonObject { ["ok"] = true }), "I ran some_new_tool; it worked." },
        { "query_tasks", "3 open tasks", "I looked up your tasks: 3 open tasks" },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void AfterATool_ItAnswersWithASentence_NotTheJson(string tool, string result, string reply)
    {
        var step = Assert.IsType<AssistantStep>(DevModel.Decide(Input("", new ToolResult(tool, result, "success"))));

        Assert.Equal(reply, step.Text);
    }

    [Theory]
    [InlineData("""{"status":"error","error":{"code":"github_not_found","message":"octo/app has no pull request #99."}}""", "error", "I couldn't read the pull request: octo/app has no pull request #99.")]
    [InlineData("""{"status":"denied","error":{"code":"repository_not_allowed","message":"The user has not allowed octo/x."}}""", "error", "I couldn't read the pull request: The user has not allowed octo/x.")]
    [InlineData("Error: request to call tool denied. User reason: not now", "error", "All right, I won't read the pull request. You said: \"not now\".")]
    public void AfterAFailure_ItSaysWhatWentWrong(string result, string status, string reply)
    {
        var step = Assert.IsType<AssistantStep>(DevModel.Decide(Input("", new ToolResult("get_pull_request", result, status))));

        Assert.Equal(reply, step.Text);
    }

    private static ModelInput Input(string text, ToolResult? result = null, string? request = null) => new(
        text, result, "My persona: a test.", PlatformTools.ToDictionary(t => t, _ => (JsonObject?)null), new HashSet<string>(), request ?? text);

    private static string Envelope(JsonObject data) => new JsonObject { ["status"] = "success", ["data"] = data }.ToJsonString();

    private static JsonObject Untrusted(string text) => new() { ["untrusted_text"] = text };

    private static JsonObject Task(string title, string status) => new() { ["title"] = Untrusted(title), ["status"] = status };
}
