using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LettaPlatform.MemorySync.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProjectSharedBlocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "letta_block_id",
                table: "blocks",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "actor_agent_id",
                table: "block_versions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_project",
                table: "agents",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "project_id",
                table: "agents",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_agents_project_id",
                table: "agents",
                column: "project_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_agents_project_id",
                table: "agents");

            migrationBuilder.DropColumn(
                name: "letta_block_id",
                table: "blocks");

            migrationBuilder.DropColumn(
                name: "actor_agent_id",
                table: "block_versions");

            migrationBuilder.DropColumn(
                name: "is_project",
                table: "agents");

            migrationBuilder.DropColumn(
                name: "project_id",
                table: "agents");
        }
    }
}
