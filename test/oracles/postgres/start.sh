#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1 for value round-trip tests
# and prints its connection URL on stdout (everything else goes to stderr).
# Idempotent: installs Debian's postgresql-15 only if missing, initialises the
# cluster only if absent, starts it only if not running.
# Trust auth, user `postgres`, no password; fsync off (the data is disposable).
# Stop with stop.sh (stop.sh --purge also deletes the cluster).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [[ ! -x "$pg_bin/initdb" ]]; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "start.sh: $pg_bin/initdb missing; as root: apt-get install -y postgresql-15" >&2
    exit 1
  fi
  echo "start.sh: installing postgresql-15 (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql-15 >&2
fi

# Where the cluster lives must be reachable by its owner; fall back to /tmp if not
# (e.g. a repository under a root-only home directory).
mkdir -p "$(dirname "$pg_data")"
if [[ "$(id -u)" == 0 ]] && ! runuser -u postgres -- test -x "$(dirname "$pg_data")"; then
  pg_data="/tmp/pg2tidb-pg15-data-$pg_port"
  echo "start.sh: postgres cannot reach the cache directory; using $pg_data" >&2
  mkdir -p "$(dirname "$pg_data")"
  echo "$pg_data" >"${PG2TIDB_CACHE:-$repo/.cache}/pg15-data.location"
fi

if [[ ! -f "$pg_data/PG_VERSION" ]]; then
  mkdir -p "$pg_data"
  [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$pg_data"
  chmod 700 "$pg_data"
  as_owner "$pg_bin/initdb" -D "$pg_data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >&2
  cat >>"$pg_data/postgresql.conf" <<CONF
# pg2tidb test cluster (disposable)
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '/tmp'
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
CONF
fi

if ! as_owner "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; then
  as_owner "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -o "-p $pg_port" -w -t 60 start >&2 || {
    echo "start.sh: PostgreSQL did not start; tail of $pg_data/server.log:" >&2
    tail -n 30 "$pg_data/server.log" >&2 || true
    exit 1
  }
fi
echo "$pg_url"
