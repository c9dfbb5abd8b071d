using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>
/// What the dev model says after a tool returned: a sentence a person would write about the result ("I opened
/// pull request #42: Add login."), not the result's JSON. It reads LettaPlatform's result envelope
/// (<c>{"status":"success","data":…}</c> or <c>{"status":"error"|"denied","error":{"code","message"}}</c>, text from
/// outside as <c>{"untrusted_text":…}</c>), a bare JSON result, or plain text. A tool it has no sentence for
/// gets a general one. Add a tool's sentence to <see cref="Success"/>.
/// </summary>
public static class ToolReplies
{
    private const int MaxListed = 5;
    private const int MaxFileLines = 40;

    public static string Describe(ToolResult result)
    {
        var (ok, data, failure) = Read(result);
        if (!ok)
        {
            return Failure(result.ToolName, failure ?? result.Return);
        }

        if (data is null)
        {
            return string.IsNullOrWhiteSpace(result.Return) ? $"I ran {result.ToolName}; it returned nothing." : $"{Doing(result.ToolName)}: {result.Return.Trim()}";
        }

        try
        {
            return Success(result.ToolName, data) ?? $"I ran {result.ToolName}; it worked.";
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException)
        {
            // A result in a shape this model does not know: still a sentence, never the JSON.
            return $"I ran {result.ToolName}; it worked.";
        }
    }

    /// <summary>The result as (succeeded, its data, the failure's message): the envelope's data, the whole JSON without one, or null data for plain text.</summary>
    public static (bool Ok, JsonNode? Data, string? Failure) Read(ToolResult result)
    {
        JsonNode? json = null;
        try
        {
            json = JsonNode.Parse(result.Return);
        }
        catch (JsonException)
        {
        }

        if (json is JsonObject envelope && envelope["status"] is JsonValue status && status.GetValueKind() == JsonValueKind.String)
        {
            var ok = status.GetValue<string>() == "success" && result.Status == "success";
            return (ok, envelope["data"], ok ? null : envelope["error"]?["message"]?.GetValue<string>() ?? result.Return);
        }

        return result.Status == "success" ? (true, json, null) : (false, null, result.Return);
    }

    /// <summary>Text the platform wrapped as untrusted (<c>{"untrusted_text":…}</c>), or a plain string.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        JsonObject obj when obj["untrusted_text"] is JsonValue text => text.GetValue<string>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        _ => null,
    };

    private static string Failure(string tool, string message)
    {
        const string denied = "Error: request to call tool denied. User reason: ";
        if (message.StartsWith(denied, StringComparison.Ordinal))
        {
            var reason = message[denied.Length..].Trim();
            return reason is "none given" or ""
                ? $"All right, I won't {Action(tool)}."
                : $"All right, I won't {Action(tool)}. You said: \"{reason}\".";
        }

        return $"I couldn't {Action(tool)}: {message.Trim()}";
    }

    private static string? Success(string tool, JsonNode data) => tool switch
    {
        "ask_agent" => $"The {AgentName(data["agent"]?.GetValue<string>())} answered: {Text(data["answer"])}",
        "query_tasks" => Tasks(data is JsonArray bare ? bare : data["tasks"]?.AsArray()),
        "create_task" => Task(data, "created") is { } task ? $"I created the task \"{Text(task["title"])}\"{Due(task)}." : null,
        "update_task" => Task(data, "updated") is { } task ? $"I updated the task \"{Text(task["title"])}\": it is {Status(task)}{Due(task)}." : null,
        "get_repository_info" => Repository(data),
        "create_pull_request" => $"I opened pull request #{data["number"]}{Titled(data)}{Link(data)}.",
        "read_repository_contents" => Contents(data),
        "list_pull_requests" => PullRequests(data),
        "get_pull_request" => PullRequest(data),
        "post_pull_request_review" => Review(data),
        "read_repository_docs" => Docs(data),
        "propose_documentation_change" =>
            $"I opened pull request #{data["number"]}{Titled(data)}, proposing changes to {List(data["files"]?.AsArray().Select(f => f!.GetValue<string>()) ?? [])} on branch {data["branch"]}{Link(data)}.",
        _ => null,
    };

    /// <summary>The task in a result: under <paramref name="key"/> (the platform's shape), or the result itself when it is a task.</summary>
    private static JsonNode? Task(JsonNode data, string key) => data[key] ?? (data["title"] is not null ? data : null);

    private static string Tasks(JsonArray? tasks)
    {
        if (tasks is null || tasks.Count == 0)
        {
            return "You have no tasks here.";
        }

        var listed = tasks.Take(MaxListed).Select(t => $"{Text(t!["title"])} ({Status(t!)})").ToList();
        var more = tasks.Count > MaxListed ? $", and {tasks.Count - MaxListed} more" : "";
        return $"You have {Count(tasks.Count, "task")}: {string.Join("; ", listed)}{more}.";
    }

    private static string Repository(JsonNode data)
    {
        var text = new StringBuilder($"{data["repository"]} is a {data["language"]?.ToString() ?? "code"} repository (default branch {data["default_branch"]}) with {Count(data["open_issues"]?.GetValue<int>() ?? 0, "open issue")}");
        if (data["recent_commits"] is JsonArray { Count: > 0 } commits)
        {
            text.Append($"; its latest commit is \"{Text(commits[0]!["message"])}\"");
        }

        return text.Append('.').ToString();
    }

    private static string Contents(JsonNode data)
    {
        var path = data["path"]?.GetValue<string>() is { Length: > 0 } p ? p : "The root";
        if (data["type"]?.GetValue<string>() == "dir")
        {
            var entries = data["entries"]?.AsArray() ?? [];
            var names = entries.Select(e => e!["type"]?.GetValue<string>() == "dir" ? $"{e["name"]}/" : $"{e!["name"]}").ToList();
            return entries.Count == 0 ? $"{path} of {data["repository"]} is empty." : $"{path} of {data["repository"]} holds {Count(entries.Count, "entry", "entries")}: {string.Join(", ", names)}.";
        }

        if (data["binary"]?.GetValue<bool>() == true)
        {
            return $"{path} in {data["repository"]} is a binary file, so I can't show it.";
        }

        var content = Text(data["content"]) ?? "";
        var lines = content.Split('\n');
        var shown = string.Join('\n', lines.Take(MaxFileLines)).TrimEnd('\n');
        var rest = lines.Length > MaxFileLines + 1 ? $"\n\n(The first {MaxFileLines} of its {data["lines"]} lines.)" : "";
        return $"{path} in {data["repository"]} has {Count(data["lines"]?.GetValue<int>() ?? 0, "line")}:\n\n```\n{shown}\n```{rest}";
    }

    private static string PullRequests(JsonNode data)
    {
        var pulls = data["pull_requests"]?.AsArray() ?? [];
        if (pulls.Count == 0)
        {
            return $"{data["repository"]} has no open pull requests.";
        }

        var listed = pulls.Take(MaxListed).Select(p => $"#{p!["number"]} {Text(p["title"])} (by {p["author"]}{(p["draft"]?.GetValue<bool>() == true ? ", draft" : "")})");
        var more = pulls.Count > MaxListed ? $", and {pulls.Count - MaxListed} more" : "";
        return $"{data["repository"]} has {Count(pulls.Count, "open pull request")}: {string.Join("; ", listed)}{more}.";
    }

    private static string PullRequest(JsonNode data)
    {
        var files = data["files"]?.AsArray().Select(f => f!["filename"]!.GetValue<string>()).ToList() ?? [];
        var changed = data["changed_files"]?.GetValue<int>() ?? files.Count;
        var text = $"Pull request #{data["number"]} \"{Text(data["title"])}\" by {data["author"]} changes {Count(changed, "file")} "
            + $"(+{data["additions"]} −{data["deletions"]}): {List(files.Take(MaxListed))}{(files.Count > MaxListed ? ", …" : "")}.";
        return data["diff_truncated"]?.GetValue<bool>() == true ? text + " Its diff is longer than I was shown, so I read only the start of it." : text;
    }

    private static string Review(JsonNode data)
    {
        var verdict = data["state"]?.GetValue<string>() switch
        {
            "APPROVED" => "approving it",
            "CHANGES_REQUESTED" => "requesting changes",
            _ => "as a comment",
        };
        var comments = data["comments"]?.GetValue<int>() ?? 0;
        return $"I posted my review of pull request #{data["pull_request"]}, {verdict}{(comments > 0 ? $", with {Count(comments, "line comment")}" : "")}{Link(data)}.";
    }

    private static string Docs(JsonNode data)
    {
        var readme = data["readme"] is JsonObject r && Text(r["content"]) is { } content
            ? $"{data["repository"]}'s {r["path"]} has {Count(content.TrimEnd('\n').Split('\n').Length, "line")} (it starts \"{content.Split('\n')[0].Trim()}\")"
            : $"{data["repository"]} has no README I could read";
        var docs = data["docs"]?.AsArray().Select(d => d!["name"]!.GetValue<string>()).ToList() ?? [];
        return docs.Count == 0 ? $"{readme}, and no docs/ folder." : $"{readme}, and docs/ holds {List(docs)}.";
    }

    private static string Action(string tool) => tool switch
    {
        "ask_agent" => "ask the other agent",
        "query_tasks" => "list your tasks",
        "create_task" => "create the task",
        "update_task" => "update the task",
        "get_repository_info" => "look up the repository",
        "create_pull_request" => "open the pull request",
        "read_repository_contents" => "read that from the repository",
        "list_pull_requests" => "list the pull requests",
        "get_pull_request" => "read the pull request",
        "post_pull_request_review" => "post the review",
        "read_repository_docs" => "read the documentation",
        "propose_documentation_change" => "propose the documentation change",
        _ => $"run {tool}",
    };

    private static string Doing(string tool) => tool switch
    {
        "query_tasks" => "I looked up your tasks",
        "get_repository_info" => "I looked up the repository",
        _ => $"I ran {tool}",
    };

    private static string AgentName(string? template) => template switch
    {
        "code-assistant" => "code assistant",
        "task-manager" => "task manager",
        "documentation" => "documentation writer",
        _ => template ?? "other agent",
    };

    private static string Status(JsonNode task) => task["status"]?.GetValue<string>()?.Replace('_', ' ') ?? "open";

    private static string Due(JsonNode task) => task["due_date"]?.GetValue<string>() is { } due ? $", due {due}" : "";

    private static string Titled(JsonNode data) => Text(data["title"]) is { Length: > 0 } title ? $": {title}" : "";

    private static string Link(JsonNode data) => (data["html_url"] ?? data["url"])?.GetValue<string>() is { } url ? $" ({url})" : "";

    private static string List(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => "nothing",
            1 => list[0],
            _ => $"{string.Join(", ", list[..^1])} and {list[^1]}",
        };
    }

    private static string Count(int count, string noun, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? noun : plural ?? noun + "s")}");
}
