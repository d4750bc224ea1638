#!/usr/bin/env bash
# Idempotent: creates (or reuses) the Python venv used by the SQLAlchemy/Alembic judge
# and prints the path of its python interpreter on the last line of stdout.
#   ${PG2TIDB_CACHE:-<repo>/.cache}/venv
# Nothing here connects to a database: psycopg2-binary is only there so that the
# PostgreSQL dialect imports cleanly.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="${PG2TIDB_CACHE:-$repo/.cache}"
venv="$cache/venv"
# Pinned versions (SQLAlchemy 2.0.x; sqlmodel 0.0.24 requires SQLAlchemy < 2.1).
requirements="SQLAlchemy==2.0.44
alembic==1.16.5
psycopg2-binary==2.9.10
sqlmodel==0.0.24
pgvector==0.4.1"
stamp="$venv/.pg2tidb-requirements"
py="$venv/bin/python"

if [[ -x "$py" && -f "$stamp" ]] && [[ "$(cat "$stamp")" == "$requirements" ]]; then
  echo "$py"
  exit 0
fi

base_python="${PYTHON:-}"
if [[ -z "$base_python" ]]; then
  for cand in python3.12 python3.11 python3 python; do
    if "$cand" -c "import sys, venv; assert sys.version_info >= (3, 9)" >/dev/null 2>&1; then base_python="$cand"; break; fi
  done
fi
if [[ -z "$base_python" ]]; then
  echo "setup.sh: no python3 found" >&2
  exit 1
fi

mkdir -p "$cache"
if [[ ! -x "$py" ]]; then
  "$base_python" -m venv "$venv" >&2
fi
"$py" -m pip install --disable-pip-version-check --quiet --upgrade pip >&2 || true
# shellcheck disable=SC2086
"$py" -m pip install --disable-pip-version-check --quiet $requirements >&2
"$py" -c "import sqlalchemy, alembic, psycopg2, sqlmodel, pgvector" >&2
printf '%s' "$requirements" > "$stamp"
echo "$py"
