// Command tidb-parser is a test oracle: it runs TiDB's own SQL parser (the
// v8.5 release branch, see go.mod) over whole SQL files and reports, per
// statement, whether TiDB would accept its syntax, plus the canonical restored
// text. It also runs checker.go's semantic rules (limits TiDB enforces in DDL
// execution, not in the parser) over the parsed AST.
//
// stdin:  {"batches":[{"id":"x","sql":"..."}]}
// stdout: {"batches":[{"id":"x","statements":[...],"violations":[...],"warnings":[...]}]}
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
	// The parser needs a value-expression driver; test_driver is the
	// dependency-free one shipped with the parser module.
	_ "github.com/pingcap/tidb/pkg/parser/test_driver"
)

type inputBatch struct {
	ID  string `json:"id"`
	SQL string `json:"sql"`
}

type input struct {
	Batches []inputBatch `json:"batches"`
}

// Statement is one statement of a batch. Line/Column are 1-based positions in
// the batch's SQL: the statement start when OK, the error position otherwise.
type Statement struct {
	Index     int    `json:"index"`
	OK        bool   `json:"ok"`
	Text      string `json:"text"`
	Error     string `json:"error,omitempty"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	StartLine int    `json:"startLine"`
	Restored  string `json:"restored,omitempty"`
	Kind      string `json:"kind,omitempty"`
}

type outputBatch struct {
	ID string `json:"id"`
	// WholeFileOK is true when the parser accepted the whole file in one go.
	WholeFileOK bool `json:"wholeFileOk"`
	// WholeFileError is the parser's error for the whole file, if any.
	WholeFileError string      `json:"wholeFileError,omitempty"`
	Statements     []Statement `json:"statements"`
	Violations     []Violation `json:"violations"`
	Warnings       []string    `json:"warnings"`
}

type output struct {
	Parser  string        `json:"parser"`
	Batches []outputBatch `json:"batches"`
}

// parserVersion is reported so the TS side can tell which oracle answered.
const parserVersion = "github.com/pingcap/tidb/pkg/parser@v0.0.0-20251126154744-e4e814fdc0af (release-8.5)"

const restoreFlags = format.RestoreStringSingleQuotes | format.RestoreKeyWordUppercase |
	format.RestoreNameBackQuotes | format.RestoreTiDBSpecialComment

var lineColRe = regexp.MustCompile(`^line (\d+) column (\d+)`)

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "tidb-parser: bad input JSON:", err)
		os.Exit(2)
	}
	p := parser.New()
	out := output{Parser: parserVersion, Batches: make([]outputBatch, 0, len(in.Batches))}
	for _, b := range in.Batches {
		out.Batches = append(out.Batches, runBatch(p, b))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "tidb-parser:", err)
		os.Exit(1)
	}
}

func runBatch(p *parser.Parser, b inputBatch) outputBatch {
	ob := outputBatch{ID: b.ID, Statements: []Statement{}, Violations: []Violation{}, Warnings: []string{}}
	pieces := splitStatements(b.SQL)
	var parsed []ast.StmtNode // index-aligned with ob.Statements; nil when not parsed

	// First the parser's own split: the whole file in one ParseSQL call.
	stmts, warns, err := p.ParseSQL(b.SQL)
	for _, w := range warns {
		ob.Warnings = append(ob.Warnings, w.Error())
	}
	if err == nil {
		ob.WholeFileOK = true
		// Positions come from our splitter when it agrees with the parser on
		// the statement count (it normally does); otherwise from the text.
		aligned := len(pieces) == len(stmts)
		searchFrom := 0
		for i, s := range stmts {
			st := Statement{Index: i, OK: true, Text: strings.TrimSpace(s.Text()), Kind: kindOf(s)}
			off := -1
			if aligned {
				off = pieces[i].start
				st.Text = strings.TrimSpace(pieces[i].text)
			} else if k := strings.Index(b.SQL[searchFrom:], st.Text); k >= 0 && st.Text != "" {
				off = searchFrom + k
				searchFrom = off + len(st.Text)
			}
			if off >= 0 {
				st.Line, st.Column = lineCol(b.SQL, off)
			}
			st.StartLine = st.Line
			st.Restored = restore(s)
			ob.Statements = append(ob.Statements, st)
			parsed = append(parsed, s)
		}
	} else {
		// The parser stops at the first error; to still judge the rest, parse
		// each top-level `;`-separated piece on its own.
		ob.WholeFileError = err.Error()
		for i, pc := range pieces {
			sl, sc := lineCol(b.SQL, pc.start)
			st := Statement{Index: i, Text: strings.TrimSpace(pc.text), StartLine: sl, Line: sl, Column: sc}
			ss, _, perr := p.ParseSQL(pc.text)
			switch {
			case perr != nil:
				st.Error, st.Line, st.Column = absoluteError(perr.Error(), sl, sc)
				parsed = append(parsed, nil)
			case len(ss) != 1:
				st.Error = fmt.Sprintf("piece parsed into %d statements", len(ss))
				parsed = append(parsed, nil)
			default:
				st.OK = true
				st.Kind = kindOf(ss[0])
				st.Restored = restore(ss[0])
				parsed = append(parsed, ss[0])
			}
			ob.Statements = append(ob.Statements, st)
		}
	}
	ob.Violations = check(parsed)
	return ob
}

// absoluteError rewrites the parser's "line L column C" (relative to the
// piece) into positions relative to the whole batch.
func absoluteError(msg string, startLine, startCol int) (string, int, int) {
	m := lineColRe.FindStringSubmatch(msg)
	if m == nil {
		return msg, startLine, startCol
	}
	l, _ := strconv.Atoi(m[1])
	c, _ := strconv.Atoi(m[2])
	al, ac := startLine+l-1, c
	if l == 1 {
		ac = startCol + c - 1
	}
	// The parser echoes everything after the error position (up to 2 KiB);
	// keep the message short.
	rest := msg[len(m[0]):]
	if len(rest) > 160 {
		rest = rest[:160] + "…"
	}
	return fmt.Sprintf("line %d column %d%s", al, ac, rest), al, ac
}

func restore(n ast.Node) string {
	var sb strings.Builder
	if err := n.Restore(format.NewRestoreCtx(restoreFlags, &sb)); err != nil {
		return ""
	}
	return sb.String()
}

func kindOf(n ast.StmtNode) string {
	t := fmt.Sprintf("%T", n)
	return strings.TrimPrefix(t, "*ast.")
}

// lineCol converts a byte offset to a 1-based line and column (columns count
// bytes, like the TiDB parser's own positions).
func lineCol(s string, off int) (int, int) {
	line, col := 1, 1
	for i := 0; i < off && i < len(s); i++ {
		if s[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

type piece struct {
	text  string
	start int // byte offset of the first non-blank, non-comment character
}

// splitStatements splits SQL on top-level `;`, respecting '...', "...",
// `...`, -- / # / C-style comments (incl. /*T! */ executable comments) and
// PostgreSQL $tag$ quoting (so PG leaks do not shatter into many pieces).
// Pieces that contain only blanks/comments are dropped.
func splitStatements(s string) []piece {
	var out []piece
	firstCode := -1
	flush := func(end int) {
		if firstCode >= 0 {
			out = append(out, piece{text: s[firstCode:end], start: firstCode})
		}
		firstCode = -1
	}
	mark := func(i int) {
		if firstCode < 0 {
			firstCode = i
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			mark(i)
			j := i + 1
			for j < len(s) {
				if s[j] == '\\' && c != '`' {
					j += 2
					continue
				}
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			i = j + 1
		case c == '-' && i+1 < len(s) && s[i+1] == '-' && (i+2 >= len(s) || s[i+2] == ' ' || s[i+2] == '\t' || s[i+2] == '\n' || s[i+2] == '\r'),
			c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			// Executable comments (/*! */, /*T! */) are code.
			if i+2 < len(s) && (s[i+2] == '!' || (s[i+2] == 'T' && i+3 < len(s) && s[i+3] == '!')) {
				mark(i)
			}
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				i = i + 2 + end + 2
			}
		case c == '$' && (i == 0 || !isIdentChar(s[i-1])):
			j := i + 1
			for j < len(s) && isIdentChar(s[j]) && s[j] != '$' {
				j++
			}
			if j < len(s) && s[j] == '$' {
				tag := s[i : j+1]
				mark(i)
				end := strings.Index(s[j+1:], tag)
				if end < 0 {
					i = len(s)
				} else {
					i = j + 1 + end + len(tag)
				}
			} else {
				mark(i)
				i++
			}
		case c == ';':
			flush(i)
			i++
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		default:
			mark(i)
			i++
		}
	}
	flush(len(s))
	return out
}

func isIdentChar(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
