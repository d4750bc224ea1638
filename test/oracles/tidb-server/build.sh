#!/usr/bin/env bash
# Builds a real tidb-server (TiDB v8.5 LTS, release-8.5 at e4e814fdc0af) from
# the Go module proxy, once, and prints the binary's path on stdout.
# Idempotent: skips the build when the binary already exists.
# Needs only Go (>= 1.23) and the Go module proxy; uses the default Go module and
# build caches (GOMODCACHE / GOCACHE are honoured if set). Build output -> stderr.
#
# Costs on the 2-core CI machine (measured): cold 26 min wall under other load (13 min CPU), adds
# ~1.8 GB to the module cache and ~1.9 GB to the build cache; with warm Go caches a
# rebuild (binary deleted) takes ~45 s, mostly linking. The binary is ~170 MB.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"

# Keep in sync with go.mod (github.com/pingcap/tidb and .../pkg/parser pins).
commit="e4e814fdc0afe9c3a6e5e96f129d83df802ab820"
short="${commit:0:12}"
release="v8.5.4" # release-8.5 commit of 2025-11-26, the eve of v8.5.4 (tag mapping not verifiable here)
out_dir="${PG2TIDB_CACHE:-$repo/.cache}/oracles/tidb-server-$short"
bin="$out_dir/tidb-server"

if [[ ! -x "$bin" ]]; then
  command -v go >/dev/null 2>&1 || { echo "build.sh: 'go' not found on PATH" >&2; exit 1; }
  command -v "${CC:-gcc}" >/dev/null 2>&1 ||
    { echo "build.sh: a C compiler is needed (cgo): apt-get install -y gcc" >&2; exit 1; }
  mkdir -p "$out_dir"
  tmp="$bin.tmp.$$"
  trap 'rm -f "$tmp"' EXIT
  pkg="github.com/pingcap/tidb"
  ldflags="-s -w"
  ldflags+=" -X '$pkg/pkg/parser/mysql.TiDBReleaseVersion=$release-$short'"
  ldflags+=" -X '$pkg/pkg/util/versioninfo.TiDBGitHash=$commit'"
  ldflags+=" -X '$pkg/pkg/util/versioninfo.TiDBGitBranch=release-8.5'"
  ldflags+=" -X '$pkg/pkg/util/versioninfo.TiDBEdition=Community'"
  echo "build.sh: building tidb-server $release-$short into $out_dir (cold: tens of minutes)" >&2
  start=$SECONDS
  # -mod=readonly: go.sum must already pin everything (no silent upgrades).
  # As upstream's `make server`: CGO_ENABLED=1 (github.com/DataDog/zstd is cgo-only)
  # and -tags codes (leaves TiDB's test-only mocks out of the binary).
  (cd "$here" && CGO_ENABLED=1 go build -mod=readonly -trimpath -tags codes -ldflags "$ldflags" \
    -o "$tmp" "$pkg/cmd/tidb-server") >&2
  mv -f "$tmp" "$bin" # atomic, so concurrent runs never see a half-written binary
  echo "build.sh: built in $((SECONDS - start))s" >&2
fi
echo "$bin"
