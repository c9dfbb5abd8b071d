using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LettaPlatform.ToolExecution.Api.Data.Migrations
{
    /// <summary>
    /// The audit ledger refuses UPDATE, DELETE and TRUNCATE in the database itself, so neither a bug
    /// in a service nor a stray statement through its connection can rewrite what happened. (The
    /// table's owner can still drop the triggers: this guards the application, not against a DBA.)
    /// </summary>
    public partial class AuditLedgerAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION tool_executions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'tool_executions is an append-only audit ledger: % is not allowed', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END
                $$;
                CREATE TRIGGER tool_executions_no_update_or_delete BEFORE UPDATE OR DELETE ON tool_executions
                    FOR EACH ROW EXECUTE FUNCTION tool_executions_append_only();
                CREATE TRIGGER tool_executions_no_truncate BEFORE TRUNCATE ON tool_executions
                    FOR EACH STATEMENT EXECUTE FUNCTION tool_executions_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER tool_executions_no_truncate ON tool_executions;
                DROP TRIGGER tool_executions_no_update_or_delete ON tool_executions;
                DROP FUNCTION tool_executions_append_only();
                """);
        }
    }
}
