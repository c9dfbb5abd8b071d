START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    ALTER TABLE tasks DROP CONSTRAINT fk_tasks_tasks_parent_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    DROP INDEX ix_tasks_parent_id_position;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    ALTER TABLE tasks DROP COLUMN completed_at;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    ALTER TABLE tasks DROP COLUMN parent_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    ALTER TABLE tasks DROP COLUMN position;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261203040624_Subtasks';
    END IF;
END $EF$;
COMMIT;

