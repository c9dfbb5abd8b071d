START TRANSACTION;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045507_CodeAndDocumentationTemplatesV2') THEN
    UPDATE agent_templates SET active_version = 1 WHERE id IN ('code-assistant', 'documentation') AND active_version = 2;
    UPDATE agent_configs SET template_version = 1 WHERE template_id IN ('code-assistant', 'documentation') AND template_version = 2;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045507_CodeAndDocumentationTemplatesV2') THEN
    DELETE FROM agent_template_versions
    WHERE template_id = 'code-assistant' AND version = 2;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045507_CodeAndDocumentationTemplatesV2') THEN
    DELETE FROM agent_template_versions
    WHERE template_id = 'documentation' AND version = 2;
    END IF;
END $EF$;
DO $EF$
BEGIN
    IF EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203045507_CodeAndDocumentationTemplatesV2') THEN
    DELETE FROM "__EFMigrationsHistory"
    WHERE "MigrationId" = '20261203045507_CodeAndDocumentationTemplatesV2';
    END IF;
END $EF$;
COMMIT;

