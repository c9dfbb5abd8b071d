using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LettaPlatform.LettaDev.Model;

namespace LettaPlatform.LettaDev.Engine;

public abstract record ModelStep(string Reasoning);

public sealed record AssistantStep(string Reasoning, string Text) : ModelStep(Reasoning);

public sealed record ToolCallStep(string Reasoning, string ToolName, string Arguments) : ModelStep(Reasoning);

public sealed record ErrorStep(string Reasoning, string StopReason, string Message) : ModelStep(Reasoning);

public sealed record ToolResult(string ToolName, string Return, string Status);

/// <summary>
/// What the model sees for one step: the user's last text or the result of the tool it just called.
/// <paramref name="Request"/> is the person's latest message in the conversation, also in a turn that only
/// answers a tool call, so a request can go on after its first tool returned.
/// </summary>
public sealed record ModelInput(
    string? UserText,
    ToolResult? LastToolResult,
    string Persona,
    IReadOnlyDictionary<string, JsonObject?> ClientTools,
    IReadOnlySet<string> AgentTools,
    string? Request = null,
    IReadOnlyDictionary<string, string>? Blocks = null);

/// <summary>
/// LettaDev's deterministic model: the same input always gives the same step. The rules are listed in the README.
/// </summary>
public static partial class DevModel
{
    public static ModelStep Decide(ModelInput input)
    {
        if (input.LastToolResult is { } result)
        {
            return FollowUp(input, result) ?? AfterTool(result);
        }
        var text = (input.UserText ?? "").Trim();

        if (ToolCommand().Match(text) is { Success: true } command)
        {
            var name = command.Groups["name"].Value;
            var args = command.Groups["args"].Success && command.Groups["args"].Value.Length > 0 ? command.Groups["args"].Value : "{}";
            try
            {
                args = JsonNode.Parse(args)?.ToJsonString() ?? "{}";
            }
            catch (JsonException)
            {
                return new AssistantStep("The /tool arguments are not JSON.", $"I could not call {name}: the arguments are not valid JSON.");
            }
            return Available(input, name)
                ? new ToolCallStep($"The user asked me to call {name} directly.", name, args)
                : new AssistantStep($"There is no tool named {name}.", $"I don't have a tool named {name}.");
        }

        if (RecallBlock().Match(text) is { Success: true } recall)
        {
            // Read from the agent's memory as it is now: a block shared with other agents shows their edits too.
            var label = recall.Groups["label"].Value.ToLowerInvariant();
            return input.Blocks?.TryGetValue(label, out var value) == true
                ? new AssistantStep($"The user asks what my {label} block holds; I will read it to them.", $"My {label} block says: {value}")
                : new AssistantStep($"I have no {label} block.", $"I have no {label} block.");
        }

        if (Remember().Match(text) is { Success: true } remember)
        {
            var fact = remember.Groups["fact"].Value.Trim();
            if (remember.Groups["label"].Success)
            {
                // "remember in project_context: …" writes to that block (a shared one reaches every agent holding it).
                var target = remember.Groups["label"].Value.ToLowerInvariant();
                if (input.AgentTools.Contains(BaseTools.MemoryInsert))
                {
                    return new ToolCallStep($"The user wants me to remember something in my {target} block.", BaseTools.MemoryInsert,
                        Args(("label", target), ("new_str", fact), ("insert_line", -1)));
                }
                if (input.AgentTools.Contains(BaseTools.CoreMemoryAppend))
                {
                    return new ToolCallStep($"The user wants me to remember something in my {target} block.", BaseTools.CoreMemoryAppend,
                        Args(("label", target), ("content", fact)));
                }
            }

            if (input.AgentTools.Contains(BaseTools.MemoryInsert))
            {
                return new ToolCallStep("The user wants me to remember something; I will store it in my human block.", BaseTools.MemoryInsert,
                    Args(("label", "human"), ("new_str", fact), ("insert_line", -1)));
            }
            if (input.AgentTools.Contains(BaseTools.CoreMemoryAppend))
            {
                return new ToolCallStep("The user wants me to remember something; I will store it in my human block.", BaseTools.CoreMemoryAppend,
                    Args(("label", "human"), ("content", fact)));
            }
        }

        if (NaturalToolCall(input, text) is { } natural)
        {
            return natural;
        }

        return new AssistantStep("The user sent a message; I will answer in my persona.",
            $"You said: \"{text}\". {input.Persona}".TrimEnd());
    }

    private static ModelStep AfterTool(ToolResult result) => result switch
    {
        { ToolName: BaseTools.MemoryInsert or BaseTools.CoreMemoryAppend, Status: "success" } =>
            new AssistantStep("My memory was updated; I will confirm.", $"Got it, I will remember that. ({result.Return})"),
        { Status: "success" } =>
            new AssistantStep($"The tool {result.ToolName} returned; I will tell the user what it found.", ToolReplies.Describe(result)),
        _ => new AssistantStep($"The tool {result.ToolName} failed; I will tell the user why.", ToolReplies.Describe(result)),
    };

    private static ModelStep? NaturalToolCall(ModelInput input, string text)
    {
        // First: "ask the code assistant to review …" is the other agent's request, whatever it names.
        if (AskAgent().Match(text) is { Success: true } ask && Available(input, "ask_agent"))
        {
            var agent = ask.Groups["agent"].Value.ToLowerInvariant() switch
            {
                var name when name.StartsWith("code", StringComparison.Ordinal) => "code-assistant",
                var name when name.StartsWith("task", StringComparison.Ordinal) => "task-manager",
                _ => "documentation",
            };
            return new ToolCallStep($"The user wants the {agent} to handle this; I will hand the request over.", "ask_agent",
                Args(("agent", agent), ("request", ask.Groups["request"].Value.Trim())));
        }

        if (ListTasks().IsMatch(text) && Available(input, "query_tasks"))
        {
            return new ToolCallStep("The user wants to see their tasks.", "query_tasks", "{}");
        }
        if (CreateTask().Match(text) is { Success: true } task && Available(input, "create_task"))
        {
            var schema = SchemaOf(input, "create_task");
            return new ToolCallStep("The user wants a new task.", "create_task",
                Args((Property(schema, "title", "title", "name", "summary", "description"), task.Groups["title"].Value.Trim())));
        }
        if (PullRequest().Match(text) is { Success: true } pr && Available(input, "create_pull_request"))
        {
            var schema = SchemaOf(input, "create_pull_request");
            var repository = pr.Groups["repo"].Value;
            var args = RepositoryArgs(schema, repository);
            args.Add((Property(schema, "head", "head", "head_branch", "source_branch", "from"), pr.Groups["head"].Value));
            args.Add((Property(schema, "base", "base", "base_branch", "target_branch", "to"), pr.Groups["base"].Value));
            args.Add((Property(schema, "title", "title", "name"), pr.Groups["title"].Value.Trim()));
            return new ToolCallStep("The user wants a pull request opened.", "create_pull_request", Args([.. args]));
        }
        if (ShowRepository().Match(text) is { Success: true } repo && Available(input, "get_repository_info"))
        {
            var schema = SchemaOf(input, "get_repository_info");
            return new ToolCallStep("The user wants information about a repository.", "get_repository_info",
                Args([.. RepositoryArgs(schema, repo.Groups["repo"].Value)]));
        }
        return GitHubToolCall(input, text) ?? TaskToolCall(input, text);
    }

    /// <summary>"owner/name" as one property (repository, repo, full_name) or, when the schema has them, owner + name.</summary>
    private static List<(string, object)> RepositoryArgs(JsonObject? properties, string repository)
    {
        var single = properties is null ? "repository" : FirstPresent(properties, "repository", "repo", "full_name", "repository_name");
        if (single is null && properties is not null && properties.ContainsKey("owner"))
        {
            var slash = repository.IndexOf('/');
            var nameProperty = FirstPresent(properties, "name", "repo", "repository") ?? "name";
            return [("owner", repository[..slash]), (nameProperty, repository[(slash + 1)..])];
        }
        return [(single ?? "repository", repository)];
    }

    private static bool Available(ModelInput input, string name) => input.ClientTools.ContainsKey(name) || input.AgentTools.Contains(name);

    private static JsonObject? SchemaOf(ModelInput input, string tool) =>
        input.ClientTools.TryGetValue(tool, out var parameters) ? parameters?["properties"] as JsonObject : null;

    private static string Property(JsonObject? properties, string fallback, params string[] candidates) =>
        properties is null ? fallback : FirstPresent(properties, candidates) ?? fallback;

    private static string? FirstPresent(JsonObject properties, params string[] candidates) =>
        candidates.FirstOrDefault(properties.ContainsKey);

    private static string Args(params (string Name, object Value)[] values)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in values)
        {
            obj[name] = JsonValue.Create(value);
        }
        return obj.ToJsonString();
    }

    [GeneratedRegex(@"\bask\s+(the\s+|my\s+)?(?<agent>code\s+assistant|task\s+manager|documentation(\s+(writer|agent))?|docs?\s+(writer|agent))\s*(to\s+|:\s*)(?<request>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AskAgent();

    [GeneratedRegex(@"^/tool\s+(?<name>[A-Za-z0-9_\-\.]+)(\s+(?<args>.*))?$", RegexOptions.Singleline)]
    private static partial Regex ToolCommand();

    [GeneratedRegex(@"^remember(\s+in\s+(?<label>[a-z][a-z0-9_]{0,49})\s*:|(\s+that)?[:\s])\s*(?<fact>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Remember();

    [GeneratedRegex(@"^what\s+(is\s+in|does)\s+your\s+(?<label>[a-z][a-z0-9_]{0,49})\s+block(\s+say)?\s*\??$", RegexOptions.IgnoreCase)]
    private static partial Regex RecallBlock();

    [GeneratedRegex(@"\b(list|show)\s+(me\s+)?my\s+tasks\b", RegexOptions.IgnoreCase)]
    private static partial Regex ListTasks();

    [GeneratedRegex(@"\bcreate\s+(a\s+)?task\s*:\s*(?<title>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex CreateTask();

    [GeneratedRegex(@"\bshow\s+(the\s+)?repo(sitory)?\s+(?<repo>[\w.\-]+/[\w.\-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ShowRepository();

    [GeneratedRegex(@"\bopen\s+a\s+pull\s+request\s+in\s+(?<repo>[\w.\-]+/[\w.\-]+)\s+from\s+(?<head>\S+)\s+to\s+(?<base>[^\s:]+)\s*:\s*(?<title>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex PullRequest();
}
