START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks') THEN
    DROP INDEX ix_agents_project_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks') THEN
    ALTER TABLE blocks DROP COLUMN letta_block_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks') THEN
    ALTER TABLE block_versions DROP COLUMN actor_agent_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks') THEN
    ALTER TABLE agents DROP COLUMN is_project;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks') THEN
    ALTER TABLE agents DROP COLUMN project_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks';
    END IF;
END $EF$;
COMMIT;

