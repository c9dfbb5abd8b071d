CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" character varying(150) NOT NULL,
    "ProductVersion" character varying(32) NOT NULL,
    CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY ("MigrationId")
);

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022535_Initial') THEN
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
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022535_Initial') THEN
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
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022535_Initial') THEN
    CREATE INDEX ix_outbox_messages_dispatched_at ON outbox_messages (dispatched_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022535_Initial') THEN
    CREATE INDEX ix_outbox_messages_pending ON outbox_messages (sequence) WHERE dispatched_at IS NULL;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022535_Initial') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124022535_Initial', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025303_ChatSessions') THEN
    CREATE TABLE chat_sessions (
        id uuid NOT NULL,
        user_id character varying(128) NOT NULL,
        agent_id uuid NOT NULL,
        template_id character varying(100) NOT NULL,
        title character varying(200),
        letta_conversation_id character varying(100),
        letta_agent_id character varying(100),
        letta_instance character varying(100),
        created_at timestamp with time zone NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_chat_sessions PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025303_ChatSessions') THEN
    CREATE TABLE chat_messages (
        sequence bigint GENERATED ALWAYS AS IDENTITY,
        id uuid NOT NULL,
        session_id uuid NOT NULL,
        turn_id uuid NOT NULL,
        role character varying(20) NOT NULL,
        content text NOT NULL,
        tool_call_id character varying(200),
        tool_name character varying(200),
        tool_arguments text,
        tool_status character varying(20),
        created_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_chat_messages PRIMARY KEY (sequence),
        CONSTRAINT fk_chat_messages_chat_sessions_session_id FOREIGN KEY (session_id) REFERENCES chat_sessions (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025303_ChatSessions') THEN
    CREATE TABLE chat_turns (
        id uuid NOT NULL,
        session_id uuid NOT NULL,
        user_id character varying(128) NOT NULL,
        status character varying(30) NOT NULL,
        stop_reason character varying(100),
        prompt_tokens integer NOT NULL,
        completion_tokens integer NOT NULL,
        total_tokens integer NOT NULL,
        steps integer NOT NULL,
        tool_calls integer NOT NULL,
        run_ids text[] NOT NULL,
        started_at timestamp with time zone NOT NULL,
        completed_at timestamp with time zone,
        CONSTRAINT pk_chat_turns PRIMARY KEY (id),
        CONSTRAINT fk_chat_turns_chat_sessions_session_id FOREIGN KEY (session_id) REFERENCES chat_sessions (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025303_ChatSessions') THEN
    CREATE TABLE pending_tool_calls (
        id uuid NOT NULL,
        session_id uuid NOT NULL,
        user_id character varying(128) NOT NULL,
        turn_id uuid NOT NULL,
        tool_call_id character varying(200) NOT NULL,
        tool_name character varying(200) NOT NULL,
        arguments_json text NOT NULL,
        calls_this_turn integer NOT NULL,
        status character varying(20) NOT NULL,
        resolved_by character varying(128),
        reason character varying(2000),
        created_at timestamp with time zone NOT NULL,
        resolved_at timestamp with time zone,
        CONSTRAINT pk_pending_tool_calls PRIMARY KEY (id),
        CONSTRAINT fk_pending_tool_calls_chat_sessions_session_id FOREIGN KEY (session_id) REFERENCES chat_sessions (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025303_ChatSessions') THEN
    CREATE UNIQUE INDEX ix_chat_messages_id ON chat_messages (id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025303_ChatSessions') THEN
    CREATE INDEX ix_chat_messages_session_id_sequence ON chat_messages (session_id, sequence);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025303_ChatSessions') THEN
    CREATE INDEX ix_chat_sessions_agent_id ON chat_sessions (agent_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025303_ChatSessions') THEN
    CREATE INDEX ix_chat_sessions_user_id_id ON chat_sessions (user_id, id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025303_ChatSessions') THEN
    CREATE INDEX ix_chat_turns_session_id ON chat_turns (session_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025303_ChatSessions') THEN
    CREATE UNIQUE INDEX ix_pending_tool_calls_session_id_tool_call_id ON pending_tool_calls (session_id, tool_call_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025303_ChatSessions') THEN
    CREATE INDEX ix_pending_tool_calls_status_created_at ON pending_tool_calls (status, created_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025303_ChatSessions') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124025303_ChatSessions', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124045922_ProcessedMessagesRetention') THEN
    CREATE INDEX ix_processed_messages_processed_at ON processed_messages (processed_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124045922_ProcessedMessagesRetention') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124045922_ProcessedMessagesRetention', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160808_UserIdsUpTo255') THEN
    ALTER TABLE pending_tool_calls ALTER COLUMN user_id TYPE character varying(255);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160808_UserIdsUpTo255') THEN
    ALTER TABLE pending_tool_calls ALTER COLUMN resolved_by TYPE character varying(255);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160808_UserIdsUpTo255') THEN
    ALTER TABLE chat_turns ALTER COLUMN user_id TYPE character varying(255);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160808_UserIdsUpTo255') THEN
    ALTER TABLE chat_sessions ALTER COLUMN user_id TYPE character varying(255);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202160808_UserIdsUpTo255') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261202160808_UserIdsUpTo255', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203043945_ApprovalPreviews') THEN
    ALTER TABLE pending_tool_calls ADD preview_json jsonb;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203043945_ApprovalPreviews') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261203043945_ApprovalPreviews', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045750_DebugCaptureAndTurnErrors') THEN
    ALTER TABLE chat_turns ADD error_code character varying(100);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045750_DebugCaptureAndTurnErrors') THEN
    CREATE TABLE debug_capture_entries (
        sequence bigint GENERATED ALWAYS AS IDENTITY,
        session_id uuid NOT NULL,
        turn_id uuid,
        trace_id character varying(32),
        kind character varying(30) NOT NULL,
        name character varying(300) NOT NULL,
        data jsonb NOT NULL,
        elapsed_ms double precision,
        created_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_debug_capture_entries PRIMARY KEY (sequence),
        CONSTRAINT fk_debug_capture_entries_chat_sessions_session_id FOREIGN KEY (session_id) REFERENCES chat_sessions (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045750_DebugCaptureAndTurnErrors') THEN
    CREATE TABLE debug_capture_switches (
        session_id uuid NOT NULL,
        enabled_until timestamp with time zone NOT NULL,
        enabled_by character varying(255) NOT NULL,
        enabled_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_debug_capture_switches PRIMARY KEY (session_id),
        CONSTRAINT fk_debug_capture_switches_chat_sessions_session_id FOREIGN KEY (session_id) REFERENCES chat_sessions (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045750_DebugCaptureAndTurnErrors') THEN
    CREATE INDEX ix_chat_turns_started_at ON chat_turns (started_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045750_DebugCaptureAndTurnErrors') THEN
    CREATE INDEX ix_debug_capture_entries_session_id_sequence ON debug_capture_entries (session_id, sequence);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045750_DebugCaptureAndTurnErrors') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261203045750_DebugCaptureAndTurnErrors', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE pending_tool_calls ADD hand_off_session_id uuid;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE chat_sessions ADD hand_off_arguments jsonb;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE chat_sessions ADD hand_off_chain_id uuid;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE chat_sessions ADD hand_off_depth integer NOT NULL DEFAULT 0;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE chat_sessions ADD hand_off_tool_call_id character varying(200);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE chat_sessions ADD parent_session_id uuid;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    CREATE INDEX ix_chat_sessions_parent_session_id ON chat_sessions (parent_session_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    CREATE INDEX ix_chat_sessions_user_id_parent_session_id_id ON chat_sessions (user_id, parent_session_id, id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    ALTER TABLE chat_sessions ADD CONSTRAINT fk_chat_sessions_chat_sessions_parent_session_id FOREIGN KEY (parent_session_id) REFERENCES chat_sessions (id) ON DELETE CASCADE;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111029_HandOffSessions') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261203111029_HandOffSessions', '10.0.15');
    END IF;
END $EF$;
COMMIT;

