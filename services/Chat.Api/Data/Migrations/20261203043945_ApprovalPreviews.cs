using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LettaPlatform.Chat.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ApprovalPreviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "preview_json",
                table: "pending_tool_calls",
                type: "jsonb",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "preview_json",
                table: "pending_tool_calls");
        }
    }
}
