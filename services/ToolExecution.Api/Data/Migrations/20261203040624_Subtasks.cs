using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LettaPlatform.ToolExecution.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Subtasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "completed_at",
                table: "tasks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "parent_id",
                table: "tasks",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "position",
                table: "tasks",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Tasks already done count as completed when they last changed, so "completed since" includes them.
            migrationBuilder.Sql("UPDATE tasks SET completed_at = updated_at WHERE status = 'done';");

            migrationBuilder.CreateIndex(
                name: "ix_tasks_parent_id_position",
                table: "tasks",
                columns: new[] { "parent_id", "position" });

            migrationBuilder.AddForeignKey(
                name: "fk_tasks_tasks_parent_id",
                table: "tasks",
                column: "parent_id",
                principalTable: "tasks",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_tasks_tasks_parent_id",
                table: "tasks");

            migrationBuilder.DropIndex(
                name: "ix_tasks_parent_id_position",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "completed_at",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "parent_id",
                table: "tasks");

            migrationBuilder.DropColumn(
                name: "position",
                table: "tasks");
        }
    }
}
