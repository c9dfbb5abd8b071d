CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" character varying(150) NOT NULL,
    "ProductVersion" character varying(32) NOT NULL,
    CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY ("MigrationId")
);

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022548_Initial') THEN
    CREATE TABLE outbox_messages (
        id uuid NOT NULL,
        sequence bigint GENERATED ALWAYS AS IDENTITY,
        message_type character varying(500) NOT NULL,
        body jsonb NOT NULL,
        destination_address character varying(500),
        created_at timestamp with time zone NOT NULL,
        dispatched_at timestamp with time zone,
        attempts integer NOT NULL,
        last_error character varying(2000),
        CONSTRAINT pk_outbox_messages PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022548_Initial') THEN
    CREATE TABLE processed_messages (
        consumer character varying(200) NOT NULL,
        message_id uuid NOT NULL,
        processed_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_processed_messages PRIMARY KEY (consumer, message_id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022548_Initial') THEN
    CREATE INDEX ix_outbox_messages_dispatched_at ON outbox_messages (dispatched_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022548_Initial') THEN
    CREATE INDEX ix_outbox_messages_pending ON outbox_messages (sequence) WHERE dispatched_at IS NULL;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022548_Initial') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124022548_Initial', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025803_ToolsTasksAuditGitHub') THEN
    CREATE TABLE github_connections (
        user_id character varying(200) NOT NULL,
        login character varying(100) NOT NULL,
        protected_token text NOT NULL,
        allowed_repositories text[] NOT NULL,
        connected_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_github_connections PRIMARY KEY (user_id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025803_ToolsTasksAuditGitHub') THEN
    CREATE TABLE tasks (
        id uuid NOT NULL,
        user_id character varying(200) NOT NULL,
        project_id character varying(100),
        title character varying(200) NOT NULL,
        description character varying(4000),
        status character varying(20) NOT NULL,
        priority character varying(20) NOT NULL,
        due_date date,
        created_at timestamp with time zone NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_tasks PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025803_ToolsTasksAuditGitHub') THEN
    CREATE TABLE tool_calls (
        user_id character varying(200) NOT NULL,
        tool_call_id character varying(200) NOT NULL,
        tool character varying(100) NOT NULL,
        arguments_hash character varying(64) NOT NULL,
        status character varying(20),
        result text,
        duration_ms bigint NOT NULL,
        started_at timestamp with time zone NOT NULL,
        completed_at timestamp with time zone,
        CONSTRAINT pk_tool_calls PRIMARY KEY (user_id, tool_call_id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025803_ToolsTasksAuditGitHub') THEN
    CREATE TABLE tool_executions (
        id uuid NOT NULL,
        user_id character varying(200) NOT NULL,
        agent_id uuid NOT NULL,
        session_id uuid NOT NULL,
        tool_call_id character varying(200) NOT NULL,
        tool character varying(100) NOT NULL,
        arguments jsonb NOT NULL,
        decision character varying(20) NOT NULL,
        reason character varying(100),
        status character varying(20) NOT NULL,
        result_summary text NOT NULL,
        duration_ms bigint NOT NULL,
        approved_by character varying(200),
        created_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_tool_executions PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025803_ToolsTasksAuditGitHub') THEN
    CREATE INDEX ix_tasks_user_id_created_at_id ON tasks (user_id, created_at, id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025803_ToolsTasksAuditGitHub') THEN
    CREATE INDEX ix_tool_executions_user_id_created_at_id ON tool_executions (user_id, created_at, id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025803_ToolsTasksAuditGitHub') THEN
    CREATE INDEX ix_tool_executions_user_id_session_id_created_at_id ON tool_executions (user_id, session_id, created_at, id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025803_ToolsTasksAuditGitHub') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124025803_ToolsTasksAuditGitHub', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124045945_ProcessedMessagesRetention') THEN
    CREATE INDEX ix_processed_messages_processed_at ON processed_messages (processed_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124045945_ProcessedMessagesRetention') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124045945_ProcessedMessagesRetention', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124052130_AuditLedgerAppendOnly') THEN
    CREATE FUNCTION tool_executions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'tool_executions is an append-only audit ledger: % is not allowed', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$;
    CREATE TRIGGER tool_executions_no_update_or_delete BEFORE UPDATE OR DELETE ON tool_executions
        FOR EACH ROW EXECUTE FUNCTION tool_executions_append_only();
    CREATE TRIGGER tool_executions_no_truncate BEFORE TRUNCATE ON tool_executions
        FOR EACH STATEMENT EXECUTE FUNCTION tool_executions_append_only();
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124052130_AuditLedgerAppendOnly') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124052130_AuditLedgerAppendOnly', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160955_UserIdsUpTo255') THEN
    ALTER TABLE tool_executions ALTER COLUMN user_id TYPE character varying(255);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160955_UserIdsUpTo255') THEN
    ALTER TABLE tool_executions ALTER COLUMN approved_by TYPE character varying(255);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160955_UserIdsUpTo255') THEN
    ALTER TABLE tool_calls ALTER COLUMN user_id TYPE character varying(255);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160955_UserIdsUpTo255') THEN
    ALTER TABLE tasks ALTER COLUMN user_id TYPE character varying(255);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160955_UserIdsUpTo255') THEN
    ALTER TABLE github_connections ALTER COLUMN user_id TYPE character varying(255);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160955_UserIdsUpTo255') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261202160955_UserIdsUpTo255', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    ALTER TABLE tasks ADD completed_at timestamp with time zone;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    ALTER TABLE tasks ADD parent_id uuid;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    ALTER TABLE tasks ADD position integer NOT NULL DEFAULT 0;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    UPDATE tasks SET completed_at = updated_at WHERE status = 'done';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    CREATE INDEX ix_tasks_parent_id_position ON tasks (parent_id, position);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    ALTER TABLE tasks ADD CONSTRAINT fk_tasks_tasks_parent_id FOREIGN KEY (parent_id) REFERENCES tasks (id) ON DELETE CASCADE;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203040624_Subtasks') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261203040624_Subtasks', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110419_HandOffChains') THEN
    ALTER TABLE tool_executions ADD chain_depth integer;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110419_HandOffChains') THEN
    ALTER TABLE tool_executions ADD chain_id uuid;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110419_HandOffChains') THEN
    ALTER TABLE tool_executions ADD parent_tool_call_id character varying(200);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110419_HandOffChains') THEN
    CREATE INDEX ix_tool_executions_user_id_chain_id_created_at_id ON tool_executions (user_id, chain_id, created_at, id) WHERE chain_id IS NOT NULL;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203110419_HandOffChains') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261203110419_HandOffChains', '10.0.15');
    END IF;
END $EF$;
COMMIT;

