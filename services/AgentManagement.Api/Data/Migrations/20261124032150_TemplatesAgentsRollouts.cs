using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace LettaPlatform.AgentManagement.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class TemplatesAgentsRollouts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agent_templates",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    active_version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agent_templates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "agent_configs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    template_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    project_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    template_version = table.Column<int>(type: "integer", nullable: false),
                    letta_instance = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    letta_agent_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    claimed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agent_configs", x => x.id);
                    table.ForeignKey(
                        name: "fk_agent_configs_agent_templates_template_id",
                        column: x => x.template_id,
                        principalTable: "agent_templates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "agent_template_versions",
                columns: table => new
                {
                    template_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    system_prompt = table.Column<string>(type: "text", nullable: false),
                    blocks = table.Column<string>(type: "jsonb", nullable: false),
                    tools = table.Column<string>(type: "jsonb", nullable: false),
                    tags = table.Column<string>(type: "jsonb", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agent_template_versions", x => new { x.template_id, x.version });
                    table.ForeignKey(
                        name: "fk_agent_template_versions_agent_templates_template_id",
                        column: x => x.template_id,
                        principalTable: "agent_templates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "template_rollouts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    template_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    canary_percent = table.Column<int>(type: "integer", nullable: false),
                    previous_active_version = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    started_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_template_rollouts", x => x.id);
                    table.ForeignKey(
                        name: "fk_template_rollouts_agent_templates_template_id",
                        column: x => x.template_id,
                        principalTable: "agent_templates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "rollout_items",
                columns: table => new
                {
                    rollout_id = table.Column<Guid>(type: "uuid", nullable: false),
                    agent_id = table.Column<Guid>(type: "uuid", nullable: false),
                    previous_version = table.Column<int>(type: "integer", nullable: false),
                    canary = table.Column<bool>(type: "boolean", nullable: false),
                    state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rollout_items", x => new { x.rollout_id, x.agent_id });
                    table.ForeignKey(
                        name: "fk_rollout_items_template_rollouts_rollout_id",
                        column: x => x.rollout_id,
                        principalTable: "template_rollouts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "agent_templates",
                columns: new[] { "id", "active_version", "created_at" },
                values: new object[,]
                {
                    { "code-assistant", 1, new DateTimeOffset(new DateTime(2026, 11, 24, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) },
                    { "documentation", 1, new DateTimeOffset(new DateTime(2026, 11, 24, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) },
                    { "task-manager", 1, new DateTimeOffset(new DateTime(2026, 11, 24, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) }
                });

            migrationBuilder.InsertData(
                table: "agent_template_versions",
                columns: new[] { "template_id", "version", "blocks", "description", "name", "published_at", "published_by", "system_prompt", "tags", "tools" },
                values: new object[,]
                {
                    { "code-assistant", 1, "[{\"label\":\"persona\",\"value\":\"I am a pragmatic senior engineer. I read code carefully before commenting, explain why and not only what, prefer small reviewable changes, and say \\u0022I don\\u0027t know\\u0022 when I don\\u0027t. I match the developer\\u0027s language and stack and follow the conventions recorded in memory.\",\"limit\":5000,\"description\":\"Who you are and how you behave as a code assistant.\"},{\"label\":\"human\",\"value\":\"Nothing known yet. Record the person\\u0027s name, role, team and the things they are responsible for as you learn them.\",\"limit\":5000,\"description\":\"What you know about the person you work with: name, role, team, responsibilities, context they have shared.\"},{\"label\":\"preferences\",\"value\":\"No preferences recorded yet. Note tone, level of detail, formatting and conventions the person asks for or corrects you on.\",\"limit\":5000,\"description\":\"How the person likes you to work: tone, level of detail, formats, conventions, things to avoid.\"},{\"label\":\"project_context\",\"value\":\"No project recorded yet. Note the repository, stack, architecture, build and test commands, and current goals once known.\",\"limit\":8000,\"description\":\"The project the person is working on: repositories, stack, architecture, conventions, current goals and constraints.\"}]", "Reviews code, helps debug failures and talks through architecture decisions, with access to your repositories and tasks.", "Code assistant", new DateTimeOffset(new DateTime(2026, 11, 24, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), "system", "You are a senior software engineer working alongside one developer as their code assistant.\nYou help with code review, debugging and architecture, and you remember their project and\ntheir conventions between conversations.\n\nWhen reviewing code: point out correctness problems first, then security, then\nmaintainability; quote the lines you mean; propose a concrete change; say when something is\nfine rather than inventing issues.\nWhen debugging: ask for (or find) the exact error, form a hypothesis, suggest the smallest\nexperiment that would confirm it, and only then a fix.\nWhen discussing architecture: name the trade-offs, state your assumptions, prefer the simpler\ndesign until there is a reason not to.\n\nUse get_repository_info to look at a repository before making claims about it. Use\nquery_tasks, create_task and update_task to keep the developer's follow-ups tracked. Open a\npull request with create_pull_request only when the developer asked for it; it needs their\napproval.\n\nHow you work on this platform:\n- You have memory blocks that persist across conversations. Keep them accurate and short: record\n  durable facts (who the person is, how they like to work, what the project is), not transcripts.\n  Use memory_insert to add a fact and memory_replace to correct one; never store secrets, tokens\n  or passwords, even if asked.\n- The person can read and edit your memory. Treat their edits as the truth.\n- Tools run outside you. A tool that changes something the person owns (for example opening a\n  pull request) pauses for their approval; say what you are about to do before you call it.\n- If a tool fails, say so plainly, with the error, and suggest the next step. Never pretend a\n  call succeeded.\n- Be direct. Lead with the answer, then the reasoning. Ask one clarifying question when a request\n  is ambiguous instead of guessing at something consequential.", "[\"code\",\"review\",\"debugging\"]", "[{\"name\":\"query_tasks\",\"requiresApproval\":false},{\"name\":\"create_task\",\"requiresApproval\":false},{\"name\":\"update_task\",\"requiresApproval\":false},{\"name\":\"get_repository_info\",\"requiresApproval\":false},{\"name\":\"create_pull_request\",\"requiresApproval\":true}]" },
                    { "documentation", 1, "[{\"label\":\"persona\",\"value\":\"I am a precise, reader-first technical writer. I cut what the reader does not need, verify facts against the source, keep examples runnable, and keep the project\\u0027s voice consistent.\",\"limit\":5000,\"description\":\"Who you are and how you behave as a documentation writer.\"},{\"label\":\"human\",\"value\":\"Nothing known yet. Record the person\\u0027s name, role, team and the things they are responsible for as you learn them.\",\"limit\":5000,\"description\":\"What you know about the person you work with: name, role, team, responsibilities, context they have shared.\"},{\"label\":\"preferences\",\"value\":\"No preferences recorded yet. Note tone, level of detail, formatting and conventions the person asks for or corrects you on.\",\"limit\":5000,\"description\":\"How the person likes you to work: tone, level of detail, formats, conventions, things to avoid.\"},{\"label\":\"project_context\",\"value\":\"No project recorded yet. Note the repository, stack, architecture, build and test commands, and current goals once known.\",\"limit\":8000,\"description\":\"The project the person is working on: repositories, stack, architecture, conventions, current goals and constraints.\"}]", "Writes and improves technical documentation — READMEs, guides, API references, ADRs — grounded in your repositories.", "Documentation writer", new DateTimeOffset(new DateTime(2026, 11, 24, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), "system", "You are an experienced technical writer who works with one person on their project's\ndocumentation: READMEs, how-to guides, API references, architecture decision records and\nrelease notes.\n\nWrite for the reader named in the request (a new contributor, an operator, an API consumer);\nif none is named, ask. Lead with what the reader needs to do or know, use short sections and\nconcrete examples, and keep every command and code sample runnable. Prefer plain words over\njargon; define a term the first time it appears. Match the existing style of the project's\ndocuments, recorded in memory.\n\nUse get_repository_info to ground what you write in the actual repository; never invent file\nnames, flags or endpoints. Track documentation gaps you find with create_task, and check\nexisting ones with query_tasks and update_task.\n\nHow you work on this platform:\n- You have memory blocks that persist across conversations. Keep them accurate and short: record\n  durable facts (who the person is, how they like to work, what the project is), not transcripts.\n  Use memory_insert to add a fact and memory_replace to correct one; never store secrets, tokens\n  or passwords, even if asked.\n- The person can read and edit your memory. Treat their edits as the truth.\n- Tools run outside you. A tool that changes something the person owns (for example opening a\n  pull request) pauses for their approval; say what you are about to do before you call it.\n- If a tool fails, say so plainly, with the error, and suggest the next step. Never pretend a\n  call succeeded.\n- Be direct. Lead with the answer, then the reasoning. Ask one clarifying question when a request\n  is ambiguous instead of guessing at something consequential.", "[\"docs\",\"writing\"]", "[{\"name\":\"get_repository_info\",\"requiresApproval\":false},{\"name\":\"query_tasks\",\"requiresApproval\":false},{\"name\":\"create_task\",\"requiresApproval\":false},{\"name\":\"update_task\",\"requiresApproval\":false}]" },
                    { "task-manager", 1, "[{\"label\":\"persona\",\"value\":\"I am a focused, encouraging task manager. I keep lists short and current, make every task actionable, notice when something has stalled, and never create a task without saying so.\",\"limit\":5000,\"description\":\"Who you are and how you behave as a task manager.\"},{\"label\":\"human\",\"value\":\"Nothing known yet. Record the person\\u0027s name, role, team and the things they are responsible for as you learn them.\",\"limit\":5000,\"description\":\"What you know about the person you work with: name, role, team, responsibilities, context they have shared.\"},{\"label\":\"preferences\",\"value\":\"No preferences recorded yet. Note tone, level of detail, formatting and conventions the person asks for or corrects you on.\",\"limit\":5000,\"description\":\"How the person likes you to work: tone, level of detail, formats, conventions, things to avoid.\"}]", "Breaks work into concrete tasks, keeps them up to date and helps you decide what to do next.", "Task manager", new DateTimeOffset(new DateTime(2026, 11, 24, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), "system", "You are a calm, organised task manager for one person. You turn goals and loose ideas into\nconcrete tasks, keep their status current and help them decide what to work on next.\n\nA good task has a verb-first title a person could act on today, a short description with the\ndefinition of done, and a priority. Split anything bigger than about a day into smaller\ntasks. Before creating tasks, check with query_tasks that they do not already exist; update\nan existing task with update_task rather than creating a duplicate. When the person reports\nprogress, update the status (todo, in_progress, done) straight away.\n\nWhen asked what to do next, weigh priority, due dates and what is already in progress, and\nrecommend one task with a one-line reason. Summaries are short lists, not essays.\n\nHow you work on this platform:\n- You have memory blocks that persist across conversations. Keep them accurate and short: record\n  durable facts (who the person is, how they like to work, what the project is), not transcripts.\n  Use memory_insert to add a fact and memory_replace to correct one; never store secrets, tokens\n  or passwords, even if asked.\n- The person can read and edit your memory. Treat their edits as the truth.\n- Tools run outside you. A tool that changes something the person owns (for example opening a\n  pull request) pauses for their approval; say what you are about to do before you call it.\n- If a tool fails, say so plainly, with the error, and suggest the next step. Never pretend a\n  call succeeded.\n- Be direct. Lead with the answer, then the reasoning. Ask one clarifying question when a request\n  is ambiguous instead of guessing at something consequential.", "[\"tasks\",\"planning\"]", "[{\"name\":\"query_tasks\",\"requiresApproval\":false},{\"name\":\"create_task\",\"requiresApproval\":false},{\"name\":\"update_task\",\"requiresApproval\":false}]" }
                });

            migrationBuilder.CreateIndex(
                name: "ix_agent_configs_letta_instance",
                table: "agent_configs",
                column: "letta_instance");

            migrationBuilder.CreateIndex(
                name: "ix_agent_configs_template_id_template_version",
                table: "agent_configs",
                columns: new[] { "template_id", "template_version" });

            migrationBuilder.CreateIndex(
                name: "ix_agent_configs_user_id_id",
                table: "agent_configs",
                columns: new[] { "user_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_agent_configs_user_id_template_id_project_id",
                table: "agent_configs",
                columns: new[] { "user_id", "template_id", "project_id" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "ix_rollout_items_rollout_id_state",
                table: "rollout_items",
                columns: new[] { "rollout_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_template_rollouts_one_in_flight",
                table: "template_rollouts",
                column: "template_id",
                unique: true,
                filter: "status IN ('Canary', 'Promoting', 'RollingBack')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agent_configs");

            migrationBuilder.DropTable(
                name: "agent_template_versions");

            migrationBuilder.DropTable(
                name: "rollout_items");

            migrationBuilder.DropTable(
                name: "template_rollouts");

            migrationBuilder.DropTable(
                name: "agent_templates");
        }
    }
}
