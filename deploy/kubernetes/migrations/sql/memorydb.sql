CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" character varying(150) NOT NULL,
    "ProductVersion" character varying(32) NOT NULL,
    CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY ("MigrationId")
);

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022555_Initial') THEN
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
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022555_Initial') THEN
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
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022555_Initial') THEN
    CREATE INDEX ix_outbox_messages_dispatched_at ON outbox_messages (dispatched_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022555_Initial') THEN
    CREATE INDEX ix_outbox_messages_pending ON outbox_messages (sequence) WHERE dispatched_at IS NULL;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124022555_Initial') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124022555_Initial', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025726_MemoryModel') THEN
    CREATE TABLE agents (
        id uuid NOT NULL,
        user_id character varying(200) NOT NULL,
        letta_instance character varying(100) NOT NULL,
        letta_agent_id character varying(100) NOT NULL,
        template_id character varying(100),
        registered_at timestamp with time zone NOT NULL,
        deleted_at timestamp with time zone,
        CONSTRAINT pk_agents PRIMARY KEY (id)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025726_MemoryModel') THEN
    CREATE TABLE blocks (
        id uuid NOT NULL,
        agent_id uuid NOT NULL,
        label character varying(100) NOT NULL,
        "limit" integer NOT NULL,
        value text NOT NULL,
        current_version integer NOT NULL,
        updated_by character varying(20) NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        sync_state character varying(20) NOT NULL,
        letta_value text,
        last_synced_at timestamp with time zone,
        conflict_user_version integer,
        conflict_agent_version integer,
        push_attempts integer NOT NULL,
        next_push_at timestamp with time zone,
        last_push_error text,
        CONSTRAINT pk_blocks PRIMARY KEY (id),
        CONSTRAINT fk_blocks_agents_agent_id FOREIGN KEY (agent_id) REFERENCES agents (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025726_MemoryModel') THEN
    CREATE TABLE snapshots (
        id uuid NOT NULL,
        agent_id uuid NOT NULL,
        created_at timestamp with time zone NOT NULL,
        trigger character varying(20) NOT NULL,
        agent_file text,
        CONSTRAINT pk_snapshots PRIMARY KEY (id),
        CONSTRAINT fk_snapshots_agents_agent_id FOREIGN KEY (agent_id) REFERENCES agents (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025726_MemoryModel') THEN
    CREATE TABLE block_versions (
        id uuid NOT NULL,
        block_id uuid NOT NULL,
        agent_id uuid NOT NULL,
        label character varying(100) NOT NULL,
        version integer NOT NULL,
        value text NOT NULL,
        author character varying(20) NOT NULL,
        reason character varying(100) NOT NULL,
        session_id uuid,
        run_id character varying(400),
        tool_call_id character varying(400),
        created_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_block_versions PRIMARY KEY (id),
        CONSTRAINT fk_block_versions_blocks_block_id FOREIGN KEY (block_id) REFERENCES blocks (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025726_MemoryModel') THEN
    CREATE TABLE snapshot_blocks (
        snapshot_id uuid NOT NULL,
        label character varying(100) NOT NULL,
        value text NOT NULL,
        version integer NOT NULL,
        "limit" integer NOT NULL,
        CONSTRAINT pk_snapshot_blocks PRIMARY KEY (snapshot_id, label),
        CONSTRAINT fk_snapshot_blocks_snapshots_snapshot_id FOREIGN KEY (snapshot_id) REFERENCES snapshots (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025726_MemoryModel') THEN
    CREATE INDEX ix_agents_user_id ON agents (user_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025726_MemoryModel') THEN
    CREATE INDEX ix_block_versions_agent_id_created_at ON block_versions (agent_id, created_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025726_MemoryModel') THEN
    CREATE UNIQUE INDEX ix_block_versions_block_id_version ON block_versions (block_id, version);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025726_MemoryModel') THEN
    CREATE UNIQUE INDEX ix_blocks_agent_id_label ON blocks (agent_id, label);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025726_MemoryModel') THEN
    CREATE INDEX ix_blocks_sync_state_next_push_at ON blocks (sync_state, next_push_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025726_MemoryModel') THEN
    CREATE INDEX ix_snapshots_agent_id_created_at ON snapshots (agent_id, created_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124025726_MemoryModel') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124025726_MemoryModel', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124045939_ProcessedMessagesRetention') THEN
    CREATE INDEX ix_processed_messages_processed_at ON processed_messages (processed_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124045939_ProcessedMessagesRetention') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124045939_ProcessedMessagesRetention', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202161038_UserIdsUpTo255') THEN
    ALTER TABLE agents ALTER COLUMN user_id TYPE character varying(255);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261202161038_UserIdsUpTo255') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261202161038_UserIdsUpTo255', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks') THEN
    ALTER TABLE blocks ADD letta_block_id character varying(100);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks') THEN
    ALTER TABLE block_versions ADD actor_agent_id uuid;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks') THEN
    ALTER TABLE agents ADD is_project boolean NOT NULL DEFAULT FALSE;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks') THEN
    ALTER TABLE agents ADD project_id uuid;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks') THEN
    CREATE INDEX ix_agents_project_id ON agents (project_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203111051_ProjectSharedBlocks') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261203111051_ProjectSharedBlocks', '10.0.15');
    END IF;
END $EF$;
COMMIT;

