using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LettaPlatform.AgentManagement.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProcessedMessagesRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_processed_messages_processed_at",
                table: "processed_messages",
                column: "processed_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_processed_messages_processed_at",
                table: "processed_messages");
        }
    }
}
