using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>
/// The dev model's phrases for the code assistant's and documentation writer's GitHub tools, and the two
/// requests it carries over two steps, as an agent would: "review pull request N in owner/repo" reads the
/// pull request, then posts a review of it; "propose a README change in owner/repo: …" reads the README,
/// then proposes it with the text added. The rules are listed in the README.
/// </summary>
public static partial class DevModel
{
    // owner/name; a name may hold dots, but not end with one (the end of a sentence).
    private const string Repo = @"(?<repo>[\w.\-]+/[\w\-]+(?:\.[\w\-]+)*)";

    private static ModelStep? GitHubToolCall(ModelInput input, string text)
    {
        if (ProposeDocs().Match(text) is { Success: true } propose)
        {
            var file = DocumentFile(propose.Groups["file"].Value);
            var repository = propose.Groups["repo"].Value;
            if (file == "README.md" && Available(input, "read_repository_docs"))
            {
                return Call(input, "The user wants a README change; I will read the current README first.", "read_repository_docs", RepositoryArgs(SchemaOf(input, "read_repository_docs"), repository));
            }

            if (Available(input, "read_repository_contents"))
            {
                var args = RepositoryArgs(SchemaOf(input, "read_repository_contents"), repository);
                args.Add(("path", file));
                return Call(input, $"The user wants a change to {file}; I will read it first.", "read_repository_contents", args);
            }

            return ProposeDocumentation(input, repository, file, current: null, propose.Groups["text"].Value.Trim());
        }

        if (ReadDocs().Match(text) is { Success: true } docs && Available(input, "read_repository_docs"))
        {
            return Call(input, "The user wants to see the repository's documentation.", "read_repository_docs", RepositoryArgs(SchemaOf(input, "read_repository_docs"), docs.Groups["repo"].Value));
        }

        if (ListPullRequests().Match(text) is { Success: true } pulls && Available(input, "list_pull_requests"))
        {
            return Call(input, "The user wants the open pull requests.", "list_pull_requests", RepositoryArgs(SchemaOf(input, "list_pull_requests"), pulls.Groups["repo"].Value));
        }

        if (ReviewVerdict().Match(text) is { Success: true } verdict && Available(input, "post_pull_request_review"))
        {
            var word = verdict.Groups["verdict"].Value.ToLowerInvariant();
            var review = word.StartsWith("approve", StringComparison.Ordinal) ? "APPROVE" : word.StartsWith("request", StringComparison.Ordinal) ? "REQUEST_CHANGES" : "COMMENT";
            var body = verdict.Groups["body"].Success ? verdict.Groups["body"].Value.Trim() : review == "APPROVE" ? "Looks good to me." : "See my comments.";
            var args = PullArgs(input, "post_pull_request_review", verdict);
            args.Add(("event", review));
            args.Add(("body", body));
            return Call(input, "The user told me how to review the pull request.", "post_pull_request_review", args);
        }

        if (ReadPullRequest().Match(text) is { Success: true } pull && Available(input, "get_pull_request"))
        {
            return Call(input, pull.Groups["review"].Success ? "The user wants a review; I will read the pull request and its diff first." : "The user wants to see a pull request.",
                "get_pull_request", PullArgs(input, "get_pull_request", pull));
        }

        if (ListFiles().Match(text) is { Success: true } files && Available(input, "read_repository_contents"))
        {
            return Call(input, "The user wants the repository's files.", "read_repository_contents", RepositoryArgs(SchemaOf(input, "read_repository_contents"), files.Groups["repo"].Value));
        }

        if (ReadFile().Match(text) is { Success: true } read && Available(input, "read_repository_contents"))
        {
            var args = RepositoryArgs(SchemaOf(input, "read_repository_contents"), read.Groups["repo"].Value);
            args.Add(("path", read.Groups["path"].Value.Trim('/')));
            if (read.Groups["ref"].Success)
            {
                args.Add(("ref", read.Groups["ref"].Value));
            }

            return Call(input, "The user wants to see a file of the repository.", "read_repository_contents", args);
        }

        return null;
    }

    /// <summary>The second step of a two-step request, once its first tool returned; null when the request has none.</summary>
    private static ModelStep? FollowUp(ModelInput input, ToolResult result)
    {
        var request = (input.Request ?? "").Trim();
        var (ok, data, _) = ToolReplies.Read(result);
        if (result.ToolName == "get_pull_request" && ok && data is JsonObject pull && ReadPullRequest().Match(request) is { Success: true } asked
            && asked.Groups["review"].Success && Available(input, "post_pull_request_review"))
        {
            return ReviewOf(input, asked, pull);
        }

        if (result.ToolName is "read_repository_docs" or "read_repository_contents" && ProposeDocs().Match(request) is { Success: true } propose)
        {
            var file = DocumentFile(propose.Groups["file"].Value);
            var current = !ok || data is not JsonObject read ? null
                : result.ToolName == "read_repository_docs" ? ToolReplies.Text(read["readme"]?["content"])
                : ToolReplies.Text(read["content"]);
            return ProposeDocumentation(input, propose.Groups["repo"].Value, file, current, propose.Groups["text"].Value.Trim());
        }

        return null;
    }

    /// <summary>A review by a short checklist: new code without a test gets changes requested, with a comment on its first added line.</summary>
    private static ModelStep ReviewOf(ModelInput input, Match asked, JsonObject pull)
    {
        var files = pull["files"]?.AsArray().Select(f => f!["filename"]!.GetValue<string>()).ToList() ?? [];
        var code = files.Where(f => !IsDocumentation(f) && !f.Contains("test", StringComparison.OrdinalIgnoreCase)).ToList();
        var tests = files.Where(f => f.Contains("test", StringComparison.OrdinalIgnoreCase)).ToList();
        var documented = files.Where(IsDocumentation).ToList();
        var summary = $"Reviewed #{pull["number"]} ({files.Count} files, +{pull["additions"]} −{pull["deletions"]}) against my checklist:\n"
            + "- Scope: the change is small and focused.\n"
            + (code.Count > 0 && tests.Count == 0 ? $"- Tests: nothing tests the new code in {string.Join(", ", code)}; please add a test.\n" : "- Tests: the change comes with tests.\n")
            + (documented.Count > 0 ? $"- Docs: updated ({string.Join(", ", documented)}).\n" : "- Docs: no documentation changed.\n");
        var args = PullArgs(input, "post_pull_request_review", asked);
        if (code.Count > 0 && tests.Count == 0)
        {
            args.Add(("event", "REQUEST_CHANGES"));
            args.Add(("body", summary + "Requesting changes: please add a test."));
            if (FirstAddedLine(ToolReplies.Text(pull["diff"]) ?? "", code[0]) is { } line)
            {
                args.Add(("comments", new JsonArray(new JsonObject
                {
                    ["path"] = code[0],
                    ["line"] = line,
                    ["side"] = "RIGHT",
                    ["body"] = "This is new behaviour and no test covers it. Please add one.",
                })));
            }
        }
        else
        {
            args.Add(("event", "APPROVE"));
            args.Add(("body", summary + "Looks good to me."));
        }

        return Call(input, "I have read the diff; I will post my review, which the user approves first.", "post_pull_request_review", args);
    }

    private static ModelStep ProposeDocumentation(ModelInput input, string repository, string file, string? current, string addition)
    {
        if (!Available(input, "propose_documentation_change"))
        {
            return new AssistantStep("I cannot propose documentation changes.", "I can't propose documentation changes with the tools I have.");
        }

        var content = current is null ? $"{addition}\n" : $"{current.TrimEnd('\n')}\n\n{addition}\n";
        var args = RepositoryArgs(SchemaOf(input, "propose_documentation_change"), repository);
        args.Add(("title", $"Update {file}"));
        args.Add(("body", $"Adds to {file}: {addition}"));
        args.Add(("files", new JsonArray(new JsonObject { ["path"] = file, ["content"] = content })));
        return Call(input, $"I will propose the change to {file} as a pull request, which the user approves first.", "propose_documentation_change", args);
    }

    /// <summary>The new-file line number of the first added line of <paramref name="path"/> in a unified diff.</summary>
    private static int? FirstAddedLine(string diff, string path)
    {
        var inFile = false;
        var line = 0;
        foreach (var text in diff.Split('\n'))
        {
            if (text.StartsWith("+++ ", StringComparison.Ordinal))
            {
                inFile = text == $"+++ b/{path}";
            }
            else if (inFile && HunkStart().Match(text) is { Success: true } hunk)
            {
                line = int.Parse(hunk.Groups["new"].Value, CultureInfo.InvariantCulture);
            }
            else if (inFile && line > 0 && text.StartsWith('+'))
            {
                return line;
            }
            else if (inFile && line > 0 && !text.StartsWith('-') && !text.StartsWith('\\'))
            {
                line++;
            }
        }

        return null;
    }

    private static List<(string, object)> PullArgs(ModelInput input, string tool, Match match)
    {
        var schema = SchemaOf(input, tool);
        var args = RepositoryArgs(schema, match.Groups["repo"].Value);
        args.Add((Property(schema, "number", "number", "pull_number", "pr_number"), int.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture)));
        return args;
    }

    private static ToolCallStep Call(ModelInput input, string reasoning, string tool, List<(string Name, object Value)> args)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in args)
        {
            obj[name] = value as JsonNode ?? JsonValue.Create(value);
        }

        return new ToolCallStep(reasoning, tool, obj.ToJsonString());
    }

    private static string DocumentFile(string named) => named.Equals("README", StringComparison.OrdinalIgnoreCase) ? "README.md" : named;

    private static bool IsDocumentation(string path) =>
        path.StartsWith("docs/", StringComparison.Ordinal) || path.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || path.StartsWith("README", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\bpropose\s+(?:a\s+)?(?<file>README|[\w./\-]+\.md)\s+change\s+(?:in|to|for)\s+" + Repo + @"\s*:\s*(?<text>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ProposeDocs();

    [GeneratedRegex(@"\b(?:show|read)\s+(?:me\s+)?(?:the\s+)?(?:docs|documentation)\s+(?:of|in|for)\s+" + Repo, RegexOptions.IgnoreCase)]
    private static partial Regex ReadDocs();

    [GeneratedRegex(@"\b(?:list|show)\s+(?:me\s+)?(?:the\s+)?(?:open\s+)?(?:pull\s+requests|PRs)\s+(?:in|of|for)\s+" + Repo, RegexOptions.IgnoreCase)]
    private static partial Regex ListPullRequests();

    [GeneratedRegex(@"\b(?<verdict>approve|request\s+changes\s+on|comment\s+on)\s+(?:pull\s+request|PR)\s+#?(?<number>\d+)\s+(?:in|of)\s+" + Repo + @"(?:\s*:\s*(?<body>.+))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ReviewVerdict();

    [GeneratedRegex(@"\b(?:(?<review>review)|show(?:\s+me)?|read|open)\s+(?:pull\s+request|PR)\s+#?(?<number>\d+)\s+(?:in|of)\s+" + Repo, RegexOptions.IgnoreCase)]
    private static partial Regex ReadPullRequest();

    [GeneratedRegex(@"\blist\s+(?:the\s+)?files\s+(?:in|of)\s+" + Repo, RegexOptions.IgnoreCase)]
    private static partial Regex ListFiles();

    [GeneratedRegex(@"^(?:please\s+)?(?:show|read|open)\s+(?:me\s+)?(?:the\s+)?(?:file\s+|folder\s+)?(?<path>(?!repo\b|repository\b|my\b)[^\s]+)\s+(?:in|from|of)\s+" + Repo + @"(?:\s+at\s+(?<ref>\S+?))?\s*[.!?]?$", RegexOptions.IgnoreCase)]
    private static partial Regex ReadFile();

    [GeneratedRegex(@"^@@ -\d+(?:,\d+)? \+(?<new>\d+)(?:,\d+)? @@")]
    private static partial Regex HunkStart();
}
