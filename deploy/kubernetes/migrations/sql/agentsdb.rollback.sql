START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203041520_TaskManagerBreakdownVersion') THEN
    DELETE FROM agent_template_versions
    WHERE template_id = 'task-manager' AND version = 2;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203041520_TaskManagerBreakdownVersion') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261203041520_TaskManagerBreakdownVersion';
    END IF;
END $EF$;
COMMIT;

