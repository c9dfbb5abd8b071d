START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045750_DebugCaptureAndTurnErrors') THEN
    DROP TABLE debug_capture_entries;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045750_DebugCaptureAndTurnErrors') THEN
    DROP TABLE debug_capture_switches;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045750_DebugCaptureAndTurnErrors') THEN
    DROP INDEX ix_chat_turns_started_at;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045750_DebugCaptureAndTurnErrors') THEN
    ALTER TABLE chat_turns DROP COLUMN error_code;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045750_DebugCaptureAndTurnErrors') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261203045750_DebugCaptureAndTurnErrors';
    END IF;
END $EF$;
COMMIT;

