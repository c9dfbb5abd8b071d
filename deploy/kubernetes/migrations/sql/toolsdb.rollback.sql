START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160955_UserIdsUpTo255') THEN
    ALTER TABLE tool_executions ALTER COLUMN user_id TYPE character varying(200);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160955_UserIdsUpTo255') THEN
    ALTER TABLE tool_executions ALTER COLUMN approved_by TYPE character varying(200);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160955_UserIdsUpTo255') THEN
    ALTER TABLE tool_calls ALTER COLUMN user_id TYPE character varying(200);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160955_UserIdsUpTo255') THEN
    ALTER TABLE tasks ALTER COLUMN user_id TYPE character varying(200);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160955_UserIdsUpTo255') THEN
    ALTER TABLE github_connections ALTER COLUMN user_id TYPE character varying(200);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160955_UserIdsUpTo255') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261202160955_UserIdsUpTo255';
    END IF;
END $EF$;
COMMIT;

