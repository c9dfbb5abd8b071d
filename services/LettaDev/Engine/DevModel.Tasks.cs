using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LettaPlatform.LettaDev.Engine;

/// <summary>
/// The dev model's phrases for the task manager's tools: breaking a task down, progress reports, overdue
/// tasks and tasks by priority and due date. Each applies only when its tool is offered; the README lists them.
/// </summary>
public static partial class DevModel
{
    private const string BreakDownTask = "break_down_task";
    private const string ProgressReport = "task_progress_report";
    private const string QueryTasks = "query_tasks";

    private static ModelStep? TaskToolCall(ModelInput input, string text)
    {
        if (BreakDown().Match(text) is { Success: true } breakDown && Available(input, BreakDownTask))
        {
            var titles = SplitList(breakDown.Groups["items"].Value);
            return titles.Count == 0
                ? null
                : new ToolCallStep("The user wants the task broken into subtasks, in the order given.", BreakDownTask,
                    new JsonObject
                    {
                        ["task_id"] = breakDown.Groups["id"].Value,
                        ["subtasks"] = new JsonArray([.. titles.Select(title => (JsonNode)title)]),
                    }.ToJsonString());
        }

        if (Progress().Match(text) is { Success: true } progress && Available(input, ProgressReport))
        {
            return new ToolCallStep("The user wants to know how their work is going.", ProgressReport,
                progress.Groups["since"].Success ? Args(("since", progress.Groups["since"].Value)) : "{}");
        }

        if (Overdue().IsMatch(text) && Available(input, QueryTasks))
        {
            return new ToolCallStep("The user wants their overdue tasks.", QueryTasks, Args(("overdue", true), ("sort", "due_date")));
        }

        if (ByPriority().Match(text) is { Success: true } priority && Available(input, QueryTasks))
        {
            var args = new JsonObject { ["priority"] = priority.Groups["priority"].Value.ToLowerInvariant() };
            var due = priority.Groups["due"];
            if (due.Success)
            {
                if (DueDate().Match(due.Value) is { Success: true } date)
                {
                    args["due_before"] = date.Value;
                }
                else
                {
                    args["due_within_days"] = DueWithinDays(due.Value);
                }

                args["sort"] = "due_date";
            }

            return new ToolCallStep("The user wants their tasks of one priority.", QueryTasks, args.ToJsonString());
        }

        return null;
    }

    /// <summary>
    /// "a, b and c", "a; b; c" or one item per line, without empty items. "and" separates only the last two
    /// items of a list that has another separator, so "Design and build pages" stays one item.
    /// </summary>
    private static List<string> SplitList(string items)
    {
        var parts = ListSeparator().Split(items).Select(item => item.Trim()).ToList();
        if (parts.Count > 1)
        {
            var last = LastAnd().Split(parts[^1], 2);
            parts = [.. parts[..^1], .. last];
        }

        return [.. parts.Select(item => LeadingAnd().Replace(item, "").Trim().TrimEnd('.')).Where(item => item.Length > 0)];
    }

    private static int DueWithinDays(string due) => due.ToLowerInvariant() switch
    {
        var d when d.Contains("today") => 0,
        var d when d.Contains("tomorrow") => 1,
        var d when d.Contains("month") => 30,
        var d when Days().Match(d) is { Success: true } n => int.Parse(n.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture),
        _ => 7,
    };

    [GeneratedRegex(@"\bbreak\s+(down\s+)?(the\s+)?task\s+(?<id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(\s+down)?\s+into\s*:?\s*(?<items>.+)$",
        RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex BreakDown();

    [GeneratedRegex(@"\s*(?:,|;|\n)\s*")]
    private static partial Regex ListSeparator();

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase)]
    private static partial Regex LastAnd();

    [GeneratedRegex(@"^and\s+", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingAnd();

    [GeneratedRegex(@"\b(how\s+am\s+i\s+doing|progress\s+report|how\s+is\s+my\s+work\s+going)\b(.*?\bsince\s+(?<since>\d{4}-\d{2}-\d{2}))?", RegexOptions.IgnoreCase)]
    private static partial Regex Progress();

    [GeneratedRegex(@"\b(what\s+is|what's|whats|show\s+(me\s+)?(my\s+)?|list\s+(my\s+)?)\s*overdue\b|\boverdue\s+tasks\b", RegexOptions.IgnoreCase)]
    private static partial Regex Overdue();

    [GeneratedRegex(@"\b(?<priority>high|medium|low)[\s-]+priority\s+tasks\b(\s+(?<due>due\s+(this\s+week|this\s+month|today|tomorrow|within\s+\d+\s+days|in\s+the\s+next\s+\d+\s+days|before\s+\d{4}-\d{2}-\d{2})))?", RegexOptions.IgnoreCase)]
    private static partial Regex ByPriority();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex DueDate();

    [GeneratedRegex(@"(?<n>\d+)\s+days")]
    private static partial Regex Days();
}
