# Shared settings for start.sh / stop.sh (sourced, not run).
# PG2TIDB_PG_PORT  port on 127.0.0.1 (default 54329)
# PG2TIDB_PG_DATA  cluster directory (default ${PG2TIDB_CACHE:-<repo>/.cache}/pg15-data)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
pg_bin=/usr/lib/postgresql/15/bin
pg_port="${PG2TIDB_PG_PORT:-54329}"
pg_data="${PG2TIDB_PG_DATA:-${PG2TIDB_CACHE:-$repo/.cache}/pg15-data}"
pg_url="postgresql://postgres@127.0.0.1:$pg_port/postgres"

# Runs a command as the cluster owner: `postgres` when we are root (PostgreSQL
# refuses to run as root), ourselves otherwise.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
