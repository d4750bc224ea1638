#!/usr/bin/env bash
# Builds tidb-lightning at the TiDB commit of ../tidb-server (release-8.5 e4e814fdc0af) from the Go
# module proxy, once, and prints the binary's path on stdout. Idempotent: skips the build when the
# binary exists. go.mod is ../tidb-server's plus the one module Lightning's server needs
# (github.com/shurcooL/httpgzip); the default Go module and build caches are shared with the
# tidb-server build, so after it only Lightning's own packages compile.
# Measured 2026-12-04 on the shared 2-core machine (load ~15, niced, tidb-server already built):
# 5 min wall cold (module download included), 3 min from the script with the Go caches warm, 63 s
# when the tidb-server build just ran. The binary is ~170 MB. Build output -> stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
commit="e4e814fdc0afe9c3a6e5e96f129d83df802ab820"
short="${commit:0:12}"
out_dir="${PG2TIDB_CACHE:-$repo/.cache}/oracles/tidb-lightning-$short"
bin="$out_dir/tidb-lightning"

if [[ ! -x "$bin" ]]; then
  command -v go >/dev/null 2>&1 || { echo "build.sh: 'go' not found on PATH" >&2; exit 1; }
  mkdir -p "$out_dir"
  tmp="$bin.tmp.$$"
  trap 'rm -f "$tmp"' EXIT
  echo "build.sh: building tidb-lightning $short into $out_dir" >&2
  start=$SECONDS
  (cd "$here" && CGO_ENABLED=1 go build -mod=readonly -trimpath -tags codes -ldflags "-s -w" \
    -o "$tmp" github.com/pingcap/tidb/lightning/cmd/tidb-lightning) >&2
  mv -f "$tmp" "$bin"
  echo "build.sh: built in $((SECONDS - start))s" >&2
fi
echo "$bin"
