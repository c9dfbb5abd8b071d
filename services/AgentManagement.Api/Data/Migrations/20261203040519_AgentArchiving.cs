using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LettaPlatform.AgentManagement.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class AgentArchiving : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "archive_step",
                table: "agent_configs",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "archived_at",
                table: "agent_configs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_active_at",
                table: "agent_configs",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            // Existing agents count as last used when they last changed, not as idle since year 1.
            migrationBuilder.Sql("UPDATE agent_configs SET last_active_at = updated_at;");

            migrationBuilder.CreateTable(
                name: "agent_archives",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    agent_id = table.Column<Guid>(type: "uuid", nullable: false),
                    letta_instance = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    letta_agent_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    agent_file = table.Column<string>(type: "text", nullable: false),
                    memory = table.Column<string>(type: "jsonb", nullable: false),
                    agent_file_bytes = table.Column<long>(type: "bigint", nullable: false),
                    message_count = table.Column<int>(type: "integer", nullable: false),
                    block_count = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    restored_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agent_archives", x => x.id);
                    table.ForeignKey(
                        name: "fk_agent_archives_agent_configs_agent_id",
                        column: x => x.agent_id,
                        principalTable: "agent_configs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agent_configs_status_last_active_at",
                table: "agent_configs",
                columns: new[] { "status", "last_active_at" });

            migrationBuilder.CreateIndex(
                name: "ix_agent_archives_agent_id_created_at",
                table: "agent_archives",
                columns: new[] { "agent_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agent_archives");

            migrationBuilder.DropIndex(
                name: "ix_agent_configs_status_last_active_at",
                table: "agent_configs");

            migrationBuilder.DropColumn(
                name: "archive_step",
                table: "agent_configs");

            migrationBuilder.DropColumn(
                name: "archived_at",
                table: "agent_configs");

            migrationBuilder.DropColumn(
                name: "last_active_at",
                table: "agent_configs");
        }
    }
}
