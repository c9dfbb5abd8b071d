START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124052130_AuditLedgerAppendOnly') THEN
    DROP TRIGGER tool_executions_no_truncate ON tool_executions;
    DROP TRIGGER tool_executions_no_update_or_delete ON tool_executions;
    DROP FUNCTION tool_executions_append_only();
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124052130_AuditLedgerAppendOnly') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261124052130_AuditLedgerAppendOnly';
    END IF;
END $EF$;
COMMIT;

