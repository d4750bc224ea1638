#!/usr/bin/env bash
# Builds (idempotently) the Python venv the emitter tests use to check the Alembic output:
# py_compile, `ruff format --check`, and `alembic upgrade/downgrade --sql` (offline).
# Prints the venv's python path on stdout (the last line); progress goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="${PG2TIDB_CACHE:-$repo/.cache}"
venv="$cache/venv-emit"

# Pinned; bump together and re-run the emitter tests.
reqs=(
  "SQLAlchemy==2.0.58"
  "alembic==1.20.1"
  "PyMySQL==1.2.4"
  "ruff==0.17.6"
)
stamp_wanted="$(printf '%s\n' "${reqs[@]}")"
stamp="$venv/.pg2tidb-emitters-reqs"

pick_python() {
  for c in "${PYTHON:-}" python3.12 python3.11 python3.10 python3; do
    [ -n "$c" ] || continue
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 9) else 1)' >/dev/null 2>&1; then
      echo "$c"; return 0
    fi
  done
  echo "emitters-setup: no python >= 3.9 with the venv module found" >&2
  return 1
}

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_wanted" ] \
   && "$venv/bin/python" -c 'import sqlalchemy, alembic, pymysql' >/dev/null 2>&1 \
   && [ -x "$venv/bin/ruff" ] && [ -x "$venv/bin/alembic" ]; then
  echo "$venv/bin/python"
  exit 0
fi

py="$(pick_python)"
mkdir -p "$cache"
if [ ! -x "$venv/bin/python" ]; then
  echo "emitters-setup: creating $venv with $py" >&2
  "$py" -m venv "$venv" >&2
fi
"$venv/bin/python" -m pip install --disable-pip-version-check -q "${reqs[@]}" >&2
"$venv/bin/python" -c 'import sqlalchemy, alembic, pymysql' >&2
"$venv/bin/ruff" --version >&2
printf '%s\n' "${reqs[@]}" > "$stamp"
echo "$venv/bin/python"
