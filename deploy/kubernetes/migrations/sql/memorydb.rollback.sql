START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202161038_UserIdsUpTo255') THEN
    ALTER TABLE agents ALTER COLUMN user_id TYPE character varying(200);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202161038_UserIdsUpTo255') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261202161038_UserIdsUpTo255';
    END IF;
END $EF$;
COMMIT;

