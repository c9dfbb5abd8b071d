using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LettaPlatform.ToolExecution.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class HandOffChains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "chain_depth",
                table: "tool_executions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "chain_id",
                table: "tool_executions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "parent_tool_call_id",
                table: "tool_executions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_tool_executions_user_id_chain_id_created_at_id",
                table: "tool_executions",
                columns: new[] { "user_id", "chain_id", "created_at", "id" },
                filter: "chain_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tool_executions_user_id_chain_id_created_at_id",
                table: "tool_executions");

            migrationBuilder.DropColumn(
                name: "chain_depth",
                table: "tool_executions");

            migrationBuilder.DropColumn(
                name: "chain_id",
                table: "tool_executions");

            migrationBuilder.DropColumn(
                name: "parent_tool_call_id",
                table: "tool_executions");
        }
    }
}
