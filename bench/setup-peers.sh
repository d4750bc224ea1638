#!/usr/bin/env bash
# Idempotent setup of the Python peers used by `node bench/run.mjs`:
#   bench/.venv with sqlglot (the peer) and matplotlib (for the PNG chart).
# Re-running is cheap: it only installs what is missing.
# polyglot-sql is an npm devDependency of the project (@polyglot-sql/sdk) and
# libpg-query a dependency, so nothing is installed for them here.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
PY="${PYTHON:-python3}"
SQLGLOT_VERSION="${SQLGLOT_VERSION:-30.30.0}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "[setup-peers] creating $VENV"
  "$PY" -m venv "$VENV"
fi
VPY="$VENV/bin/python"

need=()
"$VPY" -c "import sqlglot, sys; sys.exit(0 if sqlglot.__version__ == '$SQLGLOT_VERSION' else 1)" 2>/dev/null \
  || need+=("sqlglot==$SQLGLOT_VERSION")
"$VPY" -c "import matplotlib" 2>/dev/null || need+=("matplotlib")

if [ ${#need[@]} -gt 0 ]; then
  echo "[setup-peers] installing: ${need[*]}"
  "$VPY" -m pip install --quiet --disable-pip-version-check "${need[@]}"
else
  echo "[setup-peers] already set up"
fi
"$VPY" -c "import sqlglot, matplotlib; print('[setup-peers] sqlglot', sqlglot.__version__, '| matplotlib', matplotlib.__version__)"
