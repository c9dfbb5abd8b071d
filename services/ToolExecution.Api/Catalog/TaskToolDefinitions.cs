namespace LettaPlatform.ToolExecution.Api.Catalog;

/// <summary>The task manager's tools beyond query, create and update: breaking a task down and reporting progress.</summary>
public static class TaskToolDefinitions
{
    public const string BreakDownTask = "break_down_task";
    public const string TaskProgressReport = "task_progress_report";

    public static IReadOnlyList<ToolDefinition> All { get; } =
    [
        new(BreakDownTask,
            "Breaks one of the user's tasks into ordered subtasks: give the task_id (from query_tasks or create_task) and the "
            + "subtask titles in the order they should be done. They are added after any subtasks the task already has, take "
            + "its project and start as todo. A subtask cannot be broken down further; a task has at most 20 subtasks. "
            + "Returns the task with all its subtasks in order and its progress." + ToolDefinitions.DataNotice,
            ToolDefinitions.Schema("""
            {
              "type": "object",
              "properties": {
                "task_id": { "type": "string", "format": "uuid", "description": "The task to break down." },
                "subtasks": {
                  "type": "array",
                  "minItems": 1,
                  "maxItems": 20,
                  "items": { "type": "string", "minLength": 1, "maxLength": 200, "description": "A short imperative title." },
                  "description": "The subtask titles, in order."
                }
              },
              "required": ["task_id", "subtasks"],
              "additionalProperties": false
            }
            """),
            ToolRisks.Write,
            RequiresApproval: false),
        new(TaskProgressReport,
            "Reports where the user's work stands today: how many tasks are todo, in_progress and done, overall and per "
            + "project; which open tasks are overdue and which are due soon; and, with since, what was created, completed "
            + "and otherwise changed from that day on. Use it for \"how am I doing\", \"what is overdue\" or a weekly review; "
            + "each list shows at most 10 tasks with its full count." + ToolDefinitions.DataNotice,
            ToolDefinitions.Schema("""
            {
              "type": "object",
              "properties": {
                "project_id": { "type": "string", "maxLength": 100, "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$", "examples": ["website-redesign"], "description": "Only this project's tasks." },
                "since": { "type": "string", "format": "date", "examples": ["2026-11-01"], "description": "Also report what changed from this day on (YYYY-MM-DD)." },
                "due_soon_days": { "type": "integer", "minimum": 1, "maximum": 60, "description": "How many days ahead counts as due soon (default 7)." }
              },
              "additionalProperties": false
            }
            """),
            ToolRisks.Read,
            RequiresApproval: false),
    ];
}
