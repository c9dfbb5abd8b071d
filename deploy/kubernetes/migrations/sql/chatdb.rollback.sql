START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124045922_ProcessedMessagesRetention') THEN
    DROP INDEX ix_processed_messages_processed_at;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124045922_ProcessedMessagesRetention') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261124045922_ProcessedMessagesRetention';
    END IF;
END $EF$;
COMMIT;

