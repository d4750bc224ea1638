#!/usr/bin/env bash
# Builds the TiDB-parser oracle once and prints the binary's path.
# Idempotent: skips the build when the binary already exists.
# Needs only Go and the Go module proxy (default module/build caches).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# Keep in sync with the pinned parser version in go.mod (release-8.5 commit).
version="v8.5-e4e814fdc0af"
# The checker's own source is part of the key: a changed rule must not run on a stale binary.
src_hash="$(cat "$here"/*.go "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-12)"
out_dir="${PG2TIDB_CACHE:-$repo/.cache}/oracles/tidb-parser-$version-$src_hash"
bin="$out_dir/tidb-parser"

if [[ ! -x "$bin" ]]; then
  command -v go >/dev/null 2>&1 || { echo "build.sh: 'go' not found on PATH" >&2; exit 1; }
  mkdir -p "$out_dir"
  tmp="$bin.tmp.$$"
  trap 'rm -f "$tmp"' EXIT
  # -mod=readonly: go.sum must already pin everything (no silent upgrades).
  (cd "$here" && go build -mod=readonly -trimpath -o "$tmp" .) >&2
  mv -f "$tmp" "$bin" # atomic, so concurrent runs never see a half-written binary
fi
echo "$bin"
