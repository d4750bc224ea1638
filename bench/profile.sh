#!/usr/bin/env bash
# Profile pg2tidb with V8's sampling profiler (node --cpu-prof).
#
#   bash bench/profile.sh [input.sql] [lib|cli]
#
# Defaults: the synthetic 10 MB input (generated if missing) through the
# library API. Needs the built library (`npm run build`).
#
# What it does, so you can do it by hand:
#   1. node bench/generate.mjs --sizes 10            # writes bench/results/inputs/synth-10MB.sql
#   2. node --cpu-prof --cpu-prof-dir=bench/results/profiles \
#           bench/lib/worker.mjs pg2tidb-lib bench/results/inputs/synth-10MB.sql
#      or, for the CLI end to end:
#      node --cpu-prof --cpu-prof-dir=bench/results/profiles \
#           bin/pg2tidb.js translate bench/results/inputs/synth-10MB.sql -o /tmp/out
#   3. node bench/profile-summary.mjs bench/results/profiles/<file>.cpuprofile --top 30
#      prints the top functions by self and inclusive time. For a flame graph,
#      open the .cpuprofile in Chrome DevTools (Performance tab > Load profile)
#      or https://www.speedscope.app.
# Useful extras:
#   --cpu-prof-interval 100       sample every 100 us instead of 1000 us (finer, bigger file)
#   --heap-prof                   allocation sampling profile (.heapprofile, same viewers)
#   --max-old-space-size=8192     if a 100 MB input runs out of heap
# The parse floor can be profiled the same way: worker.mjs floor-whole|floor-stmt <file>.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
INPUT="${1:-}"
MODE="${2:-lib}"
if [ -z "$INPUT" ]; then
  node "$HERE/generate.mjs" --sizes 10 >/dev/null
  INPUT="$HERE/results/inputs/synth-10MB.sql"
fi
[ -f "$ROOT/dist/index.js" ] || { echo "dist/index.js missing: run npm run build first" >&2; exit 1; }
PROF="$HERE/results/profiles"
mkdir -p "$PROF"
STAMP="$(date +%Y%m%dT%H%M%S)"
DIR="$PROF/$STAMP-$MODE"
mkdir -p "$DIR"
if [ "$MODE" = cli ]; then
  OUT="$(mktemp -d)"
  node --cpu-prof --cpu-prof-dir="$DIR" "$ROOT/bin/pg2tidb.js" translate "$INPUT" -o "$OUT" >/dev/null || echo "(CLI exited $?)" >&2
  rm -rf "$OUT"
else
  node --cpu-prof --cpu-prof-dir="$DIR" "$HERE/lib/worker.mjs" pg2tidb-lib "$INPUT"
fi
for f in "$DIR"/*.cpuprofile; do
  echo "== $f"
  node "$HERE/profile-summary.mjs" "$f" --top 30 | tee "${f%.cpuprofile}.txt"
done
