START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040519_AgentArchiving') THEN
    DROP TABLE agent_archives;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040519_AgentArchiving') THEN
    DROP INDEX ix_agent_configs_status_last_active_at;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040519_AgentArchiving') THEN
    ALTER TABLE agent_configs DROP COLUMN archive_step;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040519_AgentArchiving') THEN
    ALTER TABLE agent_configs DROP COLUMN archived_at;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040519_AgentArchiving') THEN
    ALTER TABLE agent_configs DROP COLUMN last_active_at;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040519_AgentArchiving') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261203040519_AgentArchiving';
    END IF;
END $EF$;
COMMIT;

