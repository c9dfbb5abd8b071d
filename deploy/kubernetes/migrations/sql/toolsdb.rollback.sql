START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110419_HandOffChains') THEN
    DROP INDEX ix_tool_executions_user_id_chain_id_created_at_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110419_HandOffChains') THEN
    ALTER TABLE tool_executions DROP COLUMN chain_depth;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110419_HandOffChains') THEN
    ALTER TABLE tool_executions DROP COLUMN chain_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110419_HandOffChains') THEN
    ALTER TABLE tool_executions DROP COLUMN parent_tool_call_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110419_HandOffChains') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261203110419_HandOffChains';
    END IF;
END $EF$;
COMMIT;

