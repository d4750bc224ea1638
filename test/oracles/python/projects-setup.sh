#!/usr/bin/env bash
# Idempotent: creates (or reuses) the venv in which the runtime-mode tests import the real
# projects of ../shared/corpus/sqlalchemy (airflow, mlflow, ctfd, keystone) with SQLAlchemy,
# and prints its python interpreter's path on the last line of stdout.
#   ${PG2TIDB_CACHE:-<repo>/.cache}/venv-projects
# Separate from setup.sh's judge venv (which other tests share) so its pins never move those.
# Only what shapes a schema is installed (SQLModel and pgvector for the fixtures, Flask-SQLAlchemy,
# oslo.db's ModelBase, column type packages); the rest of each project's imports is stubbed by test/oracles/sqlalchemy/project_stubs.py.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="${PG2TIDB_CACHE:-$repo/.cache}"
venv="$cache/venv-projects"
requirements="SQLAlchemy==2.0.44
psycopg2-binary==2.9.10
sqlmodel==0.0.24
pgvector==0.4.1
Flask-SQLAlchemy==3.1.1
flask-marshmallow==1.5.0
SQLAlchemy-Utils==0.43.0
sqlalchemy-jsonfield==1.0.3
uuid6==2025.0.1
pendulum==3.3.0
oslo.db==18.1.1
oslo.log==8.3.2
oslo.serialization==5.11.0
osprofiler==4.4.0"
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
[[ -n "$base_python" ]] || { echo "projects-setup.sh: no python3 found" >&2; exit 1; }

mkdir -p "$cache"
[[ -x "$py" ]] || "$base_python" -m venv "$venv" >&2
# shellcheck disable=SC2086
"$py" -m pip install --disable-pip-version-check --quiet $requirements >&2
"$py" -c "import sqlalchemy, sqlmodel, pgvector, flask_sqlalchemy, flask_marshmallow, sqlalchemy_utils, sqlalchemy_jsonfield, uuid6, pendulum, oslo_db.sqlalchemy.models, oslo_log, oslo_serialization, osprofiler" >&2
printf '%s' "$requirements" > "$stamp"
echo "$py"
