START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160903_UserIdsUpTo255') THEN
    ALTER TABLE template_rollouts ALTER COLUMN started_by TYPE character varying(200);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160903_UserIdsUpTo255') THEN
    ALTER TABLE agent_template_versions ALTER COLUMN published_by TYPE character varying(200);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160903_UserIdsUpTo255') THEN
    ALTER TABLE agent_configs ALTER COLUMN user_id TYPE character varying(200);
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160903_UserIdsUpTo255') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261202160903_UserIdsUpTo255';
    END IF;
END $EF$;
COMMIT;

