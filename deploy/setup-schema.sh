#!/bin/sh
# Creates (or upgrades) the Temporal server's two PostgreSQL databases: persistence and
# visibility. Idempotent: `create-database` of an existing database and `update-schema` of an
# up-to-date schema change nothing. `npm run test:cluster` runs it, and so does the
# temporal-schema service of docker-compose.yml (with the temporalio/admin-tools image).
#
#   SQL_TOOL      Temporal's SQL tool: `sql` built by scripts/ensure-temporal-server.js,
#                 `temporal-sql-tool` in the admin-tools image
#   SCHEMA_DIR    the server's schema/postgresql/v12 folder, of the same version as the server
#   POSTGRES_SEEDS (127.0.0.1), DB_PORT (5432), POSTGRES_USER, POSTGRES_PWD,
#   DBNAME (temporal), VISIBILITY_DBNAME (temporal_visibility)   as in deploy/temporal-server.yaml
set -eu

: "${SQL_TOOL:?set SQL_TOOL to Temporal's SQL tool (sql or temporal-sql-tool)}"
: "${SCHEMA_DIR:?set SCHEMA_DIR to the server's schema/postgresql/v12 folder}"
: "${POSTGRES_USER:?set POSTGRES_USER}"
: "${POSTGRES_PWD:?set POSTGRES_PWD}"
host="${POSTGRES_SEEDS:-127.0.0.1}"
port="${DB_PORT:-5432}"

setup() {
  db="$1"
  versioned="$2"
  tool() { "$SQL_TOOL" --plugin postgres12 --ep "$host" -p "$port" -u "$POSTGRES_USER" --pw "$POSTGRES_PWD" --db "$db" "$@"; }
  # A new database gets the version table (setup-schema -v 0.0); an existing one keeps its
  # version (setup-schema again would reset it to 0.0). update-schema applies what is missing.
  if out=$(tool create-database 2>&1); then
    tool setup-schema -v 0.0
  elif echo "$out" | grep -q "already exists"; then
    echo "setup-schema: $db exists"
  else
    echo "$out" >&2
    exit 1
  fi
  tool update-schema -d "$versioned"
  echo "setup-schema: $db is up to date"
}

setup "${DBNAME:-temporal}" "$SCHEMA_DIR/temporal/versioned"
setup "${VISIBILITY_DBNAME:-temporal_visibility}" "$SCHEMA_DIR/visibility/versioned"
