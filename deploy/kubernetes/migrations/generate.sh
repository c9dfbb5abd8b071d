#!/usr/bin/env bash
# Regenerates, from each service's EF Core migrations, the scripts the migration Jobs run:
#   sql/<database>.sql           every migration, idempotent (applies only what is missing)
#   sql/<database>.rollback.sql  the latest migration undone, back to the one before (idempotent)
# Run it after adding a migration (tests/Deployment.Tests fails while a script lacks one).
# --no-build: use the projects as last built.
set -euo pipefail
cd "$(dirname "$0")/../../.."
build=()
[ "${1:-}" = "--no-build" ] && build=(--no-build)
dotnet tool restore >/dev/null
# The services read their connection string when the context is built: the scripts need none, but a value.
placeholder="Host=localhost;Database=placeholder"
out=deploy/kubernetes/migrations/sql
for pair in Chat.Api:chatdb AgentManagement.Api:agentsdb ToolExecution.Api:toolsdb MemorySync.Api:memorydb; do
  project=${pair%%:*}; database=${pair##*:}
  mapfile -t ids < <(ls "services/${project}/Data/Migrations" | grep -E '^[0-9]{14}_[A-Za-z0-9]+\.cs$' | sed 's/\.cs$//' | sort)
  latest=${ids[-1]}; previous=${ids[-2]}
  export "ConnectionStrings__${database}=${placeholder}"
  dotnet ef migrations script --idempotent "${build[@]}" --project "services/${project}" --output "${out}/${database}.sql"
  dotnet ef migrations script "${latest}" "${previous}" --idempotent --no-build --project "services/${project}" --output "${out}/${database}.rollback.sql"
  # psql would send the byte order mark to the server as part of the first statement.
  sed -i '1s/^\xEF\xBB\xBF//' "${out}/${database}.sql" "${out}/${database}.rollback.sql"
done
