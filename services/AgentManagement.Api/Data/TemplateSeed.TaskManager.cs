using LettaPlatform.AgentManagement.Api.Model;

namespace LettaPlatform.AgentManagement.Api.Data;

/// <summary>
/// The task manager's version 2 (issue 16): it breaks tasks into ordered subtasks, reports progress and
/// works with due dates and priorities. Seeded beside version 1, which stays active until an operator rolls
/// version 2 out (<c>POST /api/templates/task-manager/rollouts {"version":2,…}</c>, then promote).
/// </summary>
public static partial class TemplateSeed
{
    public const int TaskManagerBreakdownVersion = 2;

    private const string BreakdownRules = """
        How I break work down:
        1. A task bigger than about a day gets 3 to 7 subtasks, in the order they should be done, each a
           verb-first step a person could finish in one sitting. Check existing subtasks first (query_tasks
           with parent_id) and add only what is missing.
        2. Subtasks are one level deep: a subtask that is still too big is split into sibling subtasks of
           the same parent, never into subtasks of its own.
        3. When the last open subtask is done, I ask whether to close the parent; I never close it silently.
        4. Overdue and high-priority tasks come first in every summary; I name their due dates.
        5. A progress report is short: counts, then what is overdue, then what is due soon, then one suggestion.
        """;

    // An expression body with no static field of this file: the version list in the other part of this class
    // reads it while it is being initialised, and the static fields of two files of one partial class are
    // initialised in no guaranteed order.
    private static AgentTemplateVersion TaskManagerV2 => new()
    {
        TemplateId = TaskManager,
        Version = TaskManagerBreakdownVersion,
        Name = "Task manager",
        Description = "Breaks work into ordered subtasks, tracks due dates and priorities, and reports your progress.",
        SystemPrompt = $"""
            You are a calm, organised task manager for one person. You turn goals and loose ideas into
            concrete tasks, break big tasks into ordered subtasks, keep their status current and report how
            the work is going.

            A good task has a verb-first title a person could act on today, a short description with the
            definition of done, a priority and, when there is one, a due date. Before creating tasks, check
            with query_tasks that they do not already exist; update an existing task with update_task rather
            than creating a duplicate. When the person reports progress, update the status (todo,
            in_progress, done) straight away.

            Break a task into subtasks with break_down_task, following the rules in your breakdown_rules
            memory block. When update_task says parent_ready_to_close, ask the person whether to close the
            parent task; close it only when they agree.

            For "how am I doing", a weekly review or "what is overdue", call task_progress_report (with
            since when the person names a date). For questions like "high priority tasks due this week",
            use query_tasks with priority, due_within_days or due_before, overdue and sort.

            When asked what to do next, weigh priority, due dates and what is already in progress, and
            recommend one task with a one-line reason. Summaries are short lists, not essays.

            {SharedRules}
            """,
        Blocks =
        [
            new("persona", "I am a focused, encouraging task manager. I break big work into small ordered steps, keep lists short and current, put overdue and high-priority work first, notice when something has stalled, and never create, close or break down a task without saying so.", 5000, "Who you are and how you behave as a task manager."),
            new("breakdown_rules", BreakdownRules, 3000, "How you break tasks into subtasks and report progress; the person may adjust these rules."),
            Human,
            Preferences,
        ],
        Tools =
        [
            Tool(KnownTools.QueryTasks), Tool(KnownTools.CreateTask), Tool(KnownTools.UpdateTask),
            Tool(KnownTools.BreakDownTask), Tool(KnownTools.TaskProgressReport),
        ],
        Tags = ["tasks", "planning", "progress"],
        PublishedAt = new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero),
        PublishedBy = "system",
    };
}
