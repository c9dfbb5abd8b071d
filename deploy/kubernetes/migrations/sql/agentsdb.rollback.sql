START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110615_Projects') THEN
    DROP TABLE projects;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110615_Projects') THEN
    ALTER TABLE agent_configs DROP COLUMN project_block_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110615_Projects') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261203110615_Projects';
    END IF;
END $EF$;
COMMIT;

