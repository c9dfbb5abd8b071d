using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LettaPlatform.Chat.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class DebugCaptureAndTurnErrors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "error_code",
                table: "chat_turns",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "debug_capture_entries",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    turn_id = table.Column<Guid>(type: "uuid", nullable: true),
                    trace_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    data = table.Column<string>(type: "jsonb", nullable: false),
                    elapsed_ms = table.Column<double>(type: "double precision", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_debug_capture_entries", x => x.sequence);
                    table.ForeignKey(
                        name: "fk_debug_capture_entries_chat_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "chat_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "debug_capture_switches",
                columns: table => new
                {
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    enabled_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    enabled_by = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    enabled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_debug_capture_switches", x => x.session_id);
                    table.ForeignKey(
                        name: "fk_debug_capture_switches_chat_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "chat_sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_chat_turns_started_at",
                table: "chat_turns",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ix_debug_capture_entries_session_id_sequence",
                table: "debug_capture_entries",
                columns: new[] { "session_id", "sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "debug_capture_entries");

            migrationBuilder.DropTable(
                name: "debug_capture_switches");

            migrationBuilder.DropIndex(
                name: "ix_chat_turns_started_at",
                table: "chat_turns");

            migrationBuilder.DropColumn(
                name: "error_code",
                table: "chat_turns");
        }
    }
}
