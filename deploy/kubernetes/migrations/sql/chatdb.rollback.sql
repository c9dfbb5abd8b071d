START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE chat_sessions DROP CONSTRAINT fk_chat_sessions_chat_sessions_parent_session_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    DROP INDEX ix_chat_sessions_parent_session_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    DROP INDEX ix_chat_sessions_user_id_parent_session_id_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE pending_tool_calls DROP COLUMN hand_off_session_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE chat_sessions DROP COLUMN hand_off_arguments;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE chat_sessions DROP COLUMN hand_off_chain_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE chat_sessions DROP COLUMN hand_off_depth;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE chat_sessions DROP COLUMN hand_off_tool_call_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE chat_sessions DROP COLUMN parent_session_id;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261203111029_HandOffSessions';
    END IF;
END $EF$;
COMMIT;

