using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LettaPlatform.Chat.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class HandOffSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "hand_off_session_id",
                table: "pending_tool_calls",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "hand_off_arguments",
                table: "chat_sessions",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "hand_off_chain_id",
                table: "chat_sessions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "hand_off_depth",
                table: "chat_sessions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "hand_off_tool_call_id",
                table: "chat_sessions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "parent_session_id",
                table: "chat_sessions",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_chat_sessions_parent_session_id",
                table: "chat_sessions",
                column: "parent_session_id");

            migrationBuilder.CreateIndex(
                name: "ix_chat_sessions_user_id_parent_session_id_id",
                table: "chat_sessions",
                columns: new[] { "user_id", "parent_session_id", "id" });

            migrationBuilder.AddForeignKey(
                name: "fk_chat_sessions_chat_sessions_parent_session_id",
                table: "chat_sessions",
                column: "parent_session_id",
                principalTable: "chat_sessions",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_chat_sessions_chat_sessions_parent_session_id",
                table: "chat_sessions");

            migrationBuilder.DropIndex(
                name: "ix_chat_sessions_parent_session_id",
                table: "chat_sessions");

            migrationBuilder.DropIndex(
                name: "ix_chat_sessions_user_id_parent_session_id_id",
                table: "chat_sessions");

            migrationBuilder.DropColumn(
                name: "hand_off_session_id",
                table: "pending_tool_calls");

            migrationBuilder.DropColumn(
                name: "hand_off_arguments",
                table: "chat_sessions");

            migrationBuilder.DropColumn(
                name: "hand_off_chain_id",
                table: "chat_sessions");

            migrationBuilder.DropColumn(
                name: "hand_off_depth",
                table: "chat_sessions");

            migrationBuilder.DropColumn(
                name: "hand_off_tool_call_id",
                table: "chat_sessions");

            migrationBuilder.DropColumn(
                name: "parent_session_id",
                table: "chat_sessions");
        }
    }
}
