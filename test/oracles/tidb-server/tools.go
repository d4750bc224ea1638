//go:build tools

// Package tools pins github.com/pingcap/tidb/cmd/tidb-server in this module's
// build list so that `go build github.com/pingcap/tidb/cmd/tidb-server` works
// from this directory. It is never compiled (build tag "tools").
package tools

import _ "github.com/pingcap/tidb/cmd/tidb-server"
