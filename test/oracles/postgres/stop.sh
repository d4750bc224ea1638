#!/usr/bin/env bash
# Stops the cluster started by start.sh. `stop.sh --purge` also deletes it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
loc="${PG2TIDB_CACHE:-$repo/.cache}/pg15-data.location"
if [[ -z "${PG2TIDB_PG_DATA:-}" && -f "$loc" ]]; then pg_data="$(cat "$loc")"; fi

if [[ -f "$pg_data/PG_VERSION" ]] && as_owner "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; then
  as_owner "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w -t 60 stop >&2
fi
if [[ "${1:-}" == "--purge" ]]; then
  rm -rf "$pg_data"
  rm -f "$loc"
fi
