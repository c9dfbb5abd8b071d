START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160808_UserIdsUpTo255') THEN
    ALTER TABLE pending_tool_calls ALTER COLUMN user_id TYPE character varying(128);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160808_UserIdsUpTo255') THEN
    ALTER TABLE pending_tool_calls ALTER COLUMN resolved_by TYPE character varying(128);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160808_UserIdsUpTo255') THEN
    ALTER TABLE chat_turns ALTER COLUMN user_id TYPE character varying(128);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160808_UserIdsUpTo255') THEN
    ALTER TABLE chat_sessions ALTER COLUMN user_id TYPE character varying(128);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160808_UserIdsUpTo255') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261202160808_UserIdsUpTo255';
    END IF;
END $EF$;
COMMIT;

