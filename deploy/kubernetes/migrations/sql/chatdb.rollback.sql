START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203043945_ApprovalPreviews') THEN
    ALTER TABLE pending_tool_calls DROP COLUMN preview_json;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203043945_ApprovalPreviews') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261203043945_ApprovalPreviews';
    END IF;
END $EF$;
COMMIT;

