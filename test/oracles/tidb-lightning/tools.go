//go:build tools

// Package tools pins github.com/pingcap/tidb/lightning/cmd/tidb-lightning in this module's build
// list (the same TiDB commit as ../tidb-server), so that `go build` of it works from this directory.
// It is never compiled (build tag "tools").
package tools

import _ "github.com/pingcap/tidb/lightning/cmd/tidb-lightning"
