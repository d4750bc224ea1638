package main

// Semantic rules that TiDB enforces when it *executes* DDL (pkg/ddl), not in
// the parser. They are evaluated over the parser's AST only — never over any
// pg2tidb internal model — so they are an independent opinion. Section
// numbers refer to /work/shared/reference/tidb.md.

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/charset"
	"github.com/pingcap/tidb/pkg/parser/model"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	"github.com/pingcap/tidb/pkg/parser/types"
)

// Violation is one semantic rule broken by a statement.
type Violation struct {
	Rule           string `json:"rule"`
	Message        string `json:"message"`
	StatementIndex int    `json:"statementIndex"`
	Table          string `json:"table,omitempty"`
	Detail         string `json:"detail,omitempty"`
}

// Limits, tidb.md §3.1 / §5.7 / §5.8 (defaults; Starter cannot change them).
const (
	maxIndexKeyBytes     = 3072
	maxIndexesPerTable   = 64
	maxColumnsPerIndex   = 16
	maxIdentifierRunes   = 64
	maxTableCommentBytes = 2048
	maxColCommentBytes   = 1024
)

type column struct {
	name    string
	ft      *types.FieldType
	def     *ast.ColumnDef
	charset string // effective
	collate string // effective, "" when unknown
	virtual bool
}

type indexPart struct {
	col    string // lower-cased; "" for expression parts
	length int    // prefix length, 0 = whole column
	expr   ast.ExprNode
}

type index struct {
	name    string
	primary bool
	unique  bool
	global  bool
	parts   []indexPart
	stmt    int
	comment string
	opt     *ast.IndexOption
}

type foreignKey struct {
	name      string
	cols      []string
	refKey    string // "db.table", lower-cased
	refName   string
	refCols   []string
	stmt      int
	childKey  string
	childName string
}

type table struct {
	key, name  string
	db         string
	charset    string
	collate    string
	cols       []*column
	colByName  map[string]*column
	indexes    []*index
	fks        []*foreignKey
	partCols   []string // lower-cased partitioning columns
	parted     bool
	stmt       int
	clusterPK  bool // PK declared in CREATE TABLE and not NONCLUSTERED (§3.2)
	fromCreate bool
}

type database struct{ charset, collate string }

type checker struct {
	out    []Violation
	curDB  string
	dbs    map[string]*database
	tables map[string]*table
	order  []*table
}

func check(stmts []ast.StmtNode) []Violation {
	c := &checker{out: []Violation{}, dbs: map[string]*database{}, tables: map[string]*table{}}
	for i, s := range stmts {
		if s != nil {
			c.stmt(i, s)
		}
	}
	c.finish()
	return c.out
}

func (c *checker) add(rule string, stmt int, tbl, msg, detail string) {
	c.out = append(c.out, Violation{Rule: rule, Message: msg, StatementIndex: stmt, Table: tbl, Detail: detail})
}

func (c *checker) qualify(tn *ast.TableName) (key, db, name string) {
	db = tn.Schema.O
	if db == "" {
		db = c.curDB
	}
	return strings.ToLower(db) + "." + strings.ToLower(tn.Name.O), db, tn.Name.O
}

func displayName(db, name string) string {
	if db == "" {
		return name
	}
	return db + "." + name
}

// §3.1 / §5.8: identifiers are at most 64 characters (runes).
func (c *checker) ident(stmt int, tbl, kind, name string) {
	if n := utf8.RuneCountInString(name); n > maxIdentifierRunes {
		c.add("identifier-too-long", stmt, tbl,
			fmt.Sprintf("%s name %q is %d characters; TiDB allows at most %d", kind, name, n, maxIdentifierRunes), kind)
	}
}

func (c *checker) stmt(i int, s ast.StmtNode) {
	switch n := s.(type) {
	case *ast.UseStmt:
		c.curDB = n.DBName
	case *ast.CreateDatabaseStmt:
		c.ident(i, "", "database", n.Name.O)
		d := &database{}
		for _, o := range n.Options {
			switch o.Tp {
			case ast.DatabaseOptionCharset:
				d.charset = strings.ToLower(o.Value)
			case ast.DatabaseOptionCollate:
				d.collate = strings.ToLower(o.Value)
			}
		}
		c.dbs[n.Name.L] = d
		// The brief's convention: unqualified names after CREATE DATABASE
		// resolve to it (pg2tidb emits CREATE DATABASE then qualified names).
		c.curDB = n.Name.O
	case *ast.CreateTableStmt:
		c.createTable(i, n)
	case *ast.CreateIndexStmt:
		key, db, name := c.qualify(n.Table)
		c.ident(i, displayName(db, name), "index", n.IndexName)
		t := c.tables[key]
		if t == nil {
			return
		}
		if n.KeyType == ast.IndexKeyTypeVector || n.KeyType == ast.IndexKeyTypeFullText {
			return // columnar indexes have their own rules (§1.6), not key-length ones
		}
		idx := &index{name: n.IndexName, unique: n.KeyType == ast.IndexKeyTypeUnique, stmt: i, opt: n.IndexOption}
		if n.IndexOption != nil {
			idx.global = n.IndexOption.Global
			idx.comment = n.IndexOption.Comment
		}
		idx.parts = parts(n.IndexPartSpecifications)
		t.indexes = append(t.indexes, idx)
		c.checkIndex(t, idx)
	case *ast.AlterTableStmt:
		key, db, name := c.qualify(n.Table)
		t := c.tables[key]
		for _, sp := range n.Specs {
			switch sp.Tp {
			case ast.AlterTableAddColumns:
				for _, cd := range sp.NewColumns {
					c.ident(i, displayName(db, name), "column", cd.Name.Name.O)
					if t != nil {
						c.addColumn(i, t, cd)
					}
				}
			case ast.AlterTableAddConstraint:
				if sp.Constraint == nil {
					continue
				}
				c.ident(i, displayName(db, name), "constraint", sp.Constraint.Name)
				if t != nil {
					c.addConstraint(i, t, sp.Constraint, false)
				}
			}
		}
	case *ast.CreateSequenceStmt:
		c.ident(i, "", "sequence", n.Name.Name.O)
		if n.Name.Schema.O != "" {
			c.ident(i, "", "database", n.Name.Schema.O)
		}
	case *ast.CreateViewStmt:
		c.ident(i, "", "view", n.ViewName.Name.O)
		for _, col := range n.Cols {
			c.ident(i, n.ViewName.Name.O, "view column", col.O)
		}
	}
}

func (c *checker) createTable(i int, n *ast.CreateTableStmt) {
	key, db, name := c.qualify(n.Table)
	disp := displayName(db, name)
	c.ident(i, disp, "table", name)
	if n.Table.Schema.O != "" {
		c.ident(i, disp, "database", n.Table.Schema.O)
	}
	t := &table{key: key, name: disp, db: db, colByName: map[string]*column{}, stmt: i, fromCreate: true}
	if d := c.dbs[strings.ToLower(db)]; d != nil {
		t.charset, t.collate = d.charset, d.collate
	}
	for _, o := range n.Options {
		switch o.Tp {
		case ast.TableOptionCharset:
			t.charset, t.collate = strings.ToLower(o.StrValue), ""
		case ast.TableOptionCollate:
			t.collate = strings.ToLower(o.StrValue)
		case ast.TableOptionComment:
			// §5.7: table comment ≤ 2048 bytes (Go len()).
			if len(o.StrValue) > maxTableCommentBytes {
				c.add("comment-too-long", i, disp, fmt.Sprintf("table comment is %d bytes; max %d", len(o.StrValue), maxTableCommentBytes), "table")
			}
		}
	}
	if t.charset == "" && t.collate != "" {
		if co, err := charset.GetCollationByName(t.collate); err == nil {
			t.charset = co.CharsetName
		}
	}
	c.tables[key] = t
	c.order = append(c.order, t)
	for _, cd := range n.Cols {
		c.ident(i, disp, "column", cd.Name.Name.O)
		c.addColumn(i, t, cd)
	}
	for _, cons := range n.Constraints {
		c.ident(i, disp, "constraint/index", cons.Name)
		c.addConstraint(i, t, cons, true)
	}
	if n.Partition != nil {
		t.parted = true
		for _, cn := range n.Partition.ColumnNames {
			t.partCols = append(t.partCols, cn.Name.L)
		}
		if n.Partition.Expr != nil {
			n.Partition.Expr.Accept(&colCollector{f: func(s string) { t.partCols = append(t.partCols, s) }})
		}
	}
	c.checkColumnsOfTable(i, t)
	c.checkTableIndexes(t)
}

func parts(specs []*ast.IndexPartSpecification) []indexPart {
	var ps []indexPart
	for _, p := range specs {
		if p.Expr != nil {
			ps = append(ps, indexPart{expr: p.Expr})
		} else if p.Column != nil {
			ps = append(ps, indexPart{col: p.Column.Name.L, length: p.Length})
		}
	}
	return ps
}

func (c *checker) addColumn(i int, t *table, cd *ast.ColumnDef) {
	col := &column{name: cd.Name.Name.O, ft: cd.Tp, def: cd}
	col.charset, col.collate = strings.ToLower(cd.Tp.GetCharset()), strings.ToLower(cd.Tp.GetCollate())
	for _, o := range cd.Options {
		if o.Tp == ast.ColumnOptionCollate {
			col.collate = strings.ToLower(o.StrValue)
		}
		if o.Tp == ast.ColumnOptionGenerated && !o.Stored {
			col.virtual = true
		}
	}
	if col.charset == "" && col.collate != "" {
		if co, err := charset.GetCollationByName(col.collate); err == nil {
			col.charset = co.CharsetName
		}
	}
	if isStringType(cd.Tp) && col.charset == "" {
		col.charset, col.collate = t.charset, t.collate
	}
	if col.charset == "" && isStringType(cd.Tp) {
		col.charset = "utf8mb4"
	}
	t.cols = append(t.cols, col)
	t.colByName[cd.Name.Name.L] = col

	// Column-level keys become indexes of the table.
	for _, o := range cd.Options {
		switch o.Tp {
		case ast.ColumnOptionPrimaryKey:
			t.indexes = append(t.indexes, &index{name: "PRIMARY", primary: true, unique: true, stmt: i,
				parts: []indexPart{{col: cd.Name.Name.L}}})
			t.clusterPK = t.fromCreate && o.PrimaryKeyTp != model.PrimaryKeyTypeNonClustered
		case ast.ColumnOptionUniqKey:
			t.indexes = append(t.indexes, &index{name: cd.Name.Name.O, unique: true, stmt: i,
				parts: []indexPart{{col: cd.Name.Name.L}}})
		case ast.ColumnOptionReference:
			// §4.1: inline REFERENCES is parsed and silently ignored.
			c.add("fk-inline-references-ignored", i, t.name,
				fmt.Sprintf("column %s: inline REFERENCES creates no foreign key in TiDB; use a FOREIGN KEY clause", col.name), col.name)
		case ast.ColumnOptionComment:
			if s := stringValue(o.Expr); len(s) > maxColCommentBytes {
				// §5.7: column comment ≤ 1024 bytes.
				c.add("comment-too-long", i, t.name, fmt.Sprintf("column %s comment is %d bytes; max %d", col.name, len(s), maxColCommentBytes), col.name)
			}
		}
	}
}

func (c *checker) addConstraint(i int, t *table, cons *ast.Constraint, inCreate bool) {
	switch cons.Tp {
	case ast.ConstraintPrimaryKey, ast.ConstraintKey, ast.ConstraintIndex,
		ast.ConstraintUniq, ast.ConstraintUniqKey, ast.ConstraintUniqIndex:
		idx := &index{name: cons.Name, stmt: i, parts: parts(cons.Keys), opt: cons.Option}
		idx.primary = cons.Tp == ast.ConstraintPrimaryKey
		idx.unique = idx.primary || cons.Tp == ast.ConstraintUniq || cons.Tp == ast.ConstraintUniqKey || cons.Tp == ast.ConstraintUniqIndex
		if idx.primary {
			idx.name = "PRIMARY"
			// §3.2: only a PK declared inside CREATE TABLE can be clustered.
			t.clusterPK = inCreate && (cons.Option == nil || cons.Option.PrimaryKeyTp != model.PrimaryKeyTypeNonClustered)
		}
		if cons.Option != nil {
			idx.global = cons.Option.Global
			idx.comment = cons.Option.Comment
		}
		t.indexes = append(t.indexes, idx)
		if !inCreate {
			c.checkIndex(t, idx)
		}
	case ast.ConstraintForeignKey:
		fk := &foreignKey{name: cons.Name, stmt: i, childKey: t.key, childName: t.name}
		for _, k := range cons.Keys {
			if k.Column != nil {
				fk.cols = append(fk.cols, k.Column.Name.L)
			}
		}
		if cons.Refer != nil {
			key, db, name := c.qualify(cons.Refer.Table)
			fk.refKey, fk.refName = key, displayName(db, name)
			for _, k := range cons.Refer.IndexPartSpecifications {
				if k.Column != nil {
					fk.refCols = append(fk.refCols, k.Column.Name.L)
				}
			}
		}
		t.fks = append(t.fks, fk)
	}
}

// checkColumnsOfTable: per-column rules (§2, §3.3, §3.4).
func (c *checker) checkColumnsOfTable(i int, t *table) {
	var pk *index
	for _, ix := range t.indexes {
		if ix.primary {
			pk = ix
		}
	}
	for _, col := range t.cols {
		var hasDefault, hasAutoInc, hasAutoRand bool
		for _, o := range col.def.Options {
			switch o.Tp {
			case ast.ColumnOptionDefaultValue:
				hasDefault = true
				c.checkDefault(i, t, col, o.Expr)
			case ast.ColumnOptionOnUpdate:
				c.checkOnUpdate(i, t, col, o.Expr)
			case ast.ColumnOptionAutoIncrement:
				hasAutoInc = true
			case ast.ColumnOptionAutoRandom:
				hasAutoRand = true
			}
		}
		// §2.2 / §3.4: AUTO_INCREMENT or AUTO_RANDOM cannot be combined with DEFAULT.
		if hasAutoInc && hasDefault {
			c.add("auto-increment-with-default", i, t.name, fmt.Sprintf("column %s has both AUTO_INCREMENT and DEFAULT", col.name), col.name)
		}
		if hasAutoRand && (hasDefault || hasAutoInc) {
			c.add("auto-random-misuse", i, t.name, fmt.Sprintf("column %s: AUTO_RANDOM cannot be combined with DEFAULT or AUTO_INCREMENT", col.name), col.name)
		}
		// §3.4: AUTO_RANDOM only on a BIGINT that is the first column of a clustered PK.
		if hasAutoRand {
			ok := col.ft.GetType() == mysql.TypeLonglong && t.clusterPK && pk != nil && len(pk.parts) > 0 &&
				pk.parts[0].col == strings.ToLower(col.name)
			if !ok {
				c.add("auto-random-misuse", i, t.name,
					fmt.Sprintf("column %s: AUTO_RANDOM requires a BIGINT column that is the first column of a CLUSTERED primary key", col.name), col.name)
			}
		}
	}
}

// checkDefault: §2.1 rules 1, 3, 4.
func (c *checker) checkDefault(i int, t *table, col *column, e ast.ExprNode) {
	e = unparen(e)
	if e == nil {
		return
	}
	if v, ok := e.(ast.ValueExpr); ok && v.GetValue() == nil {
		return // DEFAULT NULL
	}
	calls := funcCalls(e)
	if len(calls) == 0 {
		// A literal or a constant non-function expression, stored as a literal.
		if isBlobLike(col.ft) {
			c.add("blob-literal-default", i, t.name,
				fmt.Sprintf("column %s (%s) cannot have a literal default; use an expression default such as (JSON_OBJECT())", col.name, typeName(col.ft)), col.name)
		}
		return
	}
	fc, top := e.(*ast.FuncCallExpr)
	if top && isCurrentTimestamp(fc) && isTimeCol(col.ft) && fspOf(fc) != colFsp(col.ft) {
		// §2.1: the fsp in the default must equal the column's fsp (1067).
		c.add("invalid-default-fsp", i, t.name,
			fmt.Sprintf("column %s %s: default %s must use fsp %d", col.name, col.ft.CompactStr(), restore(e), colFsp(col.ft)), col.name)
		return
	}
	if !top || !allowedDefaultCall(col, fc) {
		c.add("default-function-not-allowed", i, t.name,
			fmt.Sprintf("column %s: default expression %s is not in TiDB's default-function allow-list", col.name, restore(e)), col.name)
	}
}

func isCurrentTimestamp(fc *ast.FuncCallExpr) bool {
	switch fc.FnName.L {
	case ast.CurrentTimestamp, ast.Now, ast.LocalTime, ast.LocalTimestamp:
		return true
	}
	return false
}

func fspOf(fc *ast.FuncCallExpr) int {
	if len(fc.Args) == 1 {
		if v, ok := fc.Args[0].(ast.ValueExpr); ok {
			switch x := v.GetValue().(type) {
			case int64:
				return int(x)
			case uint64:
				return int(x)
			}
		}
	}
	return 0
}

func colFsp(ft *types.FieldType) int {
	if d := ft.GetDecimal(); d > 0 {
		return d
	}
	return 0
}

func isTimeCol(ft *types.FieldType) bool {
	return ft.GetType() == mysql.TypeDatetime || ft.GetType() == mysql.TypeTimestamp
}

func isCall(e ast.ExprNode, name string) (*ast.FuncCallExpr, bool) {
	fc, ok := unparen(e).(*ast.FuncCallExpr)
	if !ok || fc.FnName.L != name {
		return nil, false
	}
	return fc, true
}

func isStringLit(e ast.ExprNode) (string, bool) {
	v, ok := unparen(e).(ast.ValueExpr)
	if !ok {
		return "", false
	}
	s, ok := v.GetValue().(string)
	return s, ok
}

// allowedDefaultCall mirrors pkg/ddl getFuncCallDefaultValue (§2.1 rule 3).
func allowedDefaultCall(col *column, fc *ast.FuncCallExpr) bool {
	switch {
	case isCurrentTimestamp(fc):
		// fsp must equal the column's fsp on DATETIME/TIMESTAMP (1067).
		if isTimeCol(col.ft) {
			return fspOf(fc) == colFsp(col.ft)
		}
		return col.ft.GetType() == mysql.TypeDate
	}
	switch fc.FnName.L {
	case ast.CurrentDate, ast.Curdate:
		return true
	case ast.NextVal:
		return isIntegerType(col.ft)
	case ast.Rand, ast.UUID, ast.JSONObject, ast.JSONArray, ast.JSONQuote, ast.VecFromText:
		return true
	case ast.UUIDToBin:
		if len(fc.Args) >= 1 {
			_, ok := isCall(fc.Args[0], ast.UUID)
			return ok
		}
		return false
	case ast.DateFormat:
		if len(fc.Args) != 2 {
			return false
		}
		if _, ok := isCall(fc.Args[0], ast.Now); !ok {
			return false
		}
		f, ok := isStringLit(fc.Args[1])
		return ok && (f == "%Y-%m" || f == "%Y-%m-%d" || f == "%Y-%m-%d %H.%i.%s" || f == "%Y-%m-%d %H:%i:%s")
	case ast.Replace:
		if len(fc.Args) != 3 {
			return false
		}
		arg := fc.Args[0]
		if cv, ok := isCall(arg, ast.Convert); ok && len(cv.Args) > 0 {
			arg = cv.Args[0]
		}
		up, ok := isCall(arg, ast.Upper)
		if !ok || len(up.Args) != 1 {
			return false
		}
		_, ok = isCall(up.Args[0], ast.UUID)
		return ok
	case ast.Upper:
		if len(fc.Args) != 1 {
			return false
		}
		si, ok := isCall(fc.Args[0], ast.SubstringIndex)
		if !ok || len(si.Args) != 3 {
			return false
		}
		_, ok = isCall(si.Args[0], ast.User)
		at, _ := isStringLit(si.Args[1])
		return ok && at == "@"
	case ast.StrToDate:
		if len(fc.Args) != 2 {
			return false
		}
		_, ok1 := isStringLit(fc.Args[0])
		_, ok2 := isStringLit(fc.Args[1])
		return ok1 && ok2
	}
	return false
}

// checkOnUpdate: §2.3, only CURRENT_TIMESTAMP(fsp = column fsp) on DATETIME/TIMESTAMP.
func (c *checker) checkOnUpdate(i int, t *table, col *column, e ast.ExprNode) {
	fc, ok := unparen(e).(*ast.FuncCallExpr)
	if !ok || !isCurrentTimestamp(fc) || !isTimeCol(col.ft) || fspOf(fc) != colFsp(col.ft) {
		c.add("invalid-on-update", i, t.name,
			fmt.Sprintf("column %s: ON UPDATE must be CURRENT_TIMESTAMP(%d) on a DATETIME/TIMESTAMP column", col.name, colFsp(col.ft)), col.name)
	}
}

func (c *checker) checkTableIndexes(t *table) {
	for _, ix := range t.indexes {
		c.checkIndex(t, ix)
	}
}

// checkIndex: §3.1 limits, §3.6/§3.7 expression indexes, §5.4 partition keys, §5.7 comments.
func (c *checker) checkIndex(t *table, ix *index) {
	name := ix.name
	if name == "" {
		name = "(unnamed)"
	}
	// §3.1: at most 64 indexes per table (counted when the 65th appears).
	if n := len(t.indexes); n > maxIndexesPerTable && t.indexes[n-1] == ix {
		c.add("too-many-indexes", ix.stmt, t.name, fmt.Sprintf("table has %d indexes; TiDB allows at most %d", n, maxIndexesPerTable), name)
	}
	if len(ix.parts) > maxColumnsPerIndex {
		c.add("too-many-index-columns", ix.stmt, t.name,
			fmt.Sprintf("index %s has %d columns; TiDB allows at most %d", name, len(ix.parts), maxColumnsPerIndex), name)
	}
	if len(ix.comment) > maxColCommentBytes {
		c.add("comment-too-long", ix.stmt, t.name, fmt.Sprintf("index %s comment is %d bytes; max %d", name, len(ix.comment), maxColCommentBytes), name)
	}
	total, arrayParts := 0, 0
	for _, p := range ix.parts {
		if p.expr != nil {
			// §3.6: expression index (never on a PK).
			if ix.primary {
				c.add("expression-index-not-allowed", ix.stmt, t.name, "expression parts are not allowed in a PRIMARY KEY", name)
			}
			for _, msg := range exprIndexProblems(p.expr) {
				c.add("expression-index-not-allowed", ix.stmt, t.name, fmt.Sprintf("index %s: %s", name, msg), restore(p.expr))
			}
			if hasArrayCast(p.expr) {
				arrayParts++
			}
			continue
		}
		col := t.colByName[p.col]
		if col == nil {
			continue // unknown column: TiDB errors 1072, but that is not our concern here
		}
		// §3.1 / §1.5: JSON cannot be a key; BLOB/TEXT need a prefix length (1170).
		if col.ft.GetType() == mysql.TypeJSON {
			c.add("blob-key-without-length", ix.stmt, t.name, fmt.Sprintf("index %s: JSON column %s cannot be indexed directly", name, col.name), col.name)
			continue
		}
		if isBlobType(col.ft) && p.length <= 0 { // the parser uses -1 for "no prefix"
			c.add("blob-key-without-length", ix.stmt, t.name,
				fmt.Sprintf("index %s: %s column %s needs a prefix length", name, typeName(col.ft), col.name), col.name)
			continue
		}
		total += keyPartBytes(col, p.length)
	}
	// §3.1: key length ≤ 3072 bytes (1071).
	if total > maxIndexKeyBytes {
		c.add("index-key-too-long", ix.stmt, t.name,
			fmt.Sprintf("index %s key is %d bytes; TiDB allows at most %d", name, total, maxIndexKeyBytes), name)
	}
	if arrayParts > 1 {
		c.add("expression-index-not-allowed", ix.stmt, t.name, fmt.Sprintf("index %s: at most one multi-valued (ARRAY) part per index", name), name)
	}
	// §5.4: every unique key includes all partitioning columns unless GLOBAL (8264).
	if t.parted && ix.unique && !ix.global {
		have := map[string]bool{}
		for _, p := range ix.parts {
			have[p.col] = true
		}
		for _, pc := range t.partCols {
			if !have[pc] {
				c.add("unique-key-missing-partition-column", ix.stmt, t.name,
					fmt.Sprintf("unique key %s of a partitioned table must include partitioning column %s (or be GLOBAL)", name, pc), name)
				break
			}
		}
	}
}

// GA functions for expression indexes (tidb.md §3.6; TiDB
// variable.GAFunction4ExpressionIndex). Operators, CAST and CASE are not
// function calls in the AST and pass TiDB's check (generated_column.go
// illegalFunctionChecker only inspects FuncCallExpr).
var exprIndexFuncs = map[string]bool{}

func init() {
	for _, f := range strings.Fields(`json_array json_array_append json_array_insert json_contains
		json_contains_path json_depth json_extract json_insert json_keys json_length json_merge_patch
		json_merge_preserve json_object json_pretty json_quote json_remove json_replace json_schema_valid
		json_search json_set json_storage_size json_type json_unquote json_valid lower md5 reverse
		tidb_shard upper vitess_hash`) {
		exprIndexFuncs[f] = true
	}
}

type exprIndexVisitor struct{ problems []string }

func (v *exprIndexVisitor) Enter(n ast.Node) (ast.Node, bool) {
	switch x := n.(type) {
	case *ast.FuncCallExpr:
		if !exprIndexFuncs[x.FnName.L] {
			v.problems = append(v.problems, fmt.Sprintf("function %s is not allowed in an expression index (8200)", x.FnName.O))
		}
	case *ast.FuncCastExpr:
		if x.Tp.IsArray() {
			// §3.7: allowed element types: SIGNED, UNSIGNED, CHAR(n), DATE, DATETIME, TIME, REAL
			// (REAL and DOUBLE are the same type after parsing; TiDB's DDL accepts both).
			et := x.Tp.ArrayType() // GetType() of an array type reports JSON
			switch et.GetType() {
			case mysql.TypeLonglong, mysql.TypeDate, mysql.TypeDatetime, mysql.TypeDuration, mysql.TypeDouble:
			case mysql.TypeVarString, mysql.TypeString, mysql.TypeVarchar:
				if et.GetCharset() == charset.CharsetBin {
					v.problems = append(v.problems, "CAST(... AS BINARY ARRAY) is not supported")
				} else if et.GetFlen() <= 0 {
					v.problems = append(v.problems, "CAST(... AS CHAR ARRAY) needs an explicit length")
				}
			default:
				v.problems = append(v.problems, fmt.Sprintf("CAST(... AS %s ARRAY) element type is not supported", typeName(et)))
			}
		}
	case *ast.SubqueryExpr, *ast.VariableExpr, *ast.AggregateFuncExpr, *ast.WindowFuncExpr, *ast.RowExpr:
		v.problems = append(v.problems, fmt.Sprintf("%T is not allowed in an expression index", n))
	}
	return n, false
}

func (v *exprIndexVisitor) Leave(n ast.Node) (ast.Node, bool) { return n, true }

func exprIndexProblems(e ast.ExprNode) []string {
	v := &exprIndexVisitor{}
	e.Accept(v)
	return v.problems
}

func hasArrayCast(e ast.ExprNode) bool {
	found := false
	e.Accept(&visitFn{f: func(n ast.Node) {
		if x, ok := n.(*ast.FuncCastExpr); ok && x.Tp.IsArray() {
			found = true
		}
	}})
	return found
}

// finish runs the cross-table rules once the whole batch is known: §4.1 FKs.
func (c *checker) finish() {
	for _, t := range c.order {
		implicit := 0
		for _, fk := range t.fks {
			c.checkFK(t, fk)
			if !hasLeadingIndex(t, fk.cols) {
				implicit++ // §4.1: TiDB auto-creates a child index; it counts toward the 64
			}
		}
		if n := len(t.indexes); n <= maxIndexesPerTable && n+implicit > maxIndexesPerTable {
			c.add("too-many-indexes", t.stmt, t.name,
				fmt.Sprintf("table has %d indexes plus %d implicit foreign-key indexes; TiDB allows at most %d", n, implicit, maxIndexesPerTable), "")
		}
	}
}

func hasLeadingIndex(t *table, cols []string) bool {
	for _, ix := range t.indexes {
		if len(ix.parts) < len(cols) {
			continue
		}
		ok := true
		for k, cn := range cols {
			if ix.parts[k].col != cn {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func (c *checker) checkFK(t *table, fk *foreignKey) {
	name := fk.name
	if name == "" {
		name = "(unnamed)"
	}
	if t.parted {
		c.add("fk-on-partitioned-table", fk.stmt, t.name, fmt.Sprintf("foreign key %s: partitioned tables cannot have foreign keys", name), name)
	}
	for _, cn := range fk.cols {
		if col := t.colByName[cn]; col != nil {
			if isBlobLike(col.ft) {
				c.add("fk-on-blob", fk.stmt, t.name, fmt.Sprintf("foreign key %s: column %s is %s", name, col.name, typeName(col.ft)), name)
			}
			if col.virtual {
				c.add("fk-on-virtual-column", fk.stmt, t.name, fmt.Sprintf("foreign key %s: column %s is a virtual generated column", name, col.name), name)
			}
		}
	}
	parent := c.tables[fk.refKey]
	if parent == nil {
		return // parent not in this batch: nothing to compare
	}
	if parent.parted {
		c.add("fk-on-partitioned-table", fk.stmt, t.name, fmt.Sprintf("foreign key %s: parent %s is partitioned", name, parent.name), name)
	}
	if len(fk.cols) != len(fk.refCols) {
		c.add("fk-type-mismatch", fk.stmt, t.name, fmt.Sprintf("foreign key %s: %d columns reference %d columns", name, len(fk.cols), len(fk.refCols)), name)
		return
	}
	for k := range fk.cols {
		cc, pc := t.colByName[fk.cols[k]], parent.colByName[fk.refCols[k]]
		if cc == nil || pc == nil {
			missing := fk.cols[k]
			if pc == nil {
				missing = parent.name + "." + fk.refCols[k]
			}
			c.add("fk-missing-column", fk.stmt, t.name, fmt.Sprintf("foreign key %s: column %s does not exist", name, missing), name)
			continue
		}
		if isBlobLike(pc.ft) {
			c.add("fk-on-blob", fk.stmt, t.name, fmt.Sprintf("foreign key %s: referenced column %s is %s", name, pc.name, typeName(pc.ft)), name)
		}
		// TiDB's own check (pkg/ddl foreign_key.go checkTableForeignKey):
		// same type, signedness, charset and collation.
		if cc.ft.GetType() != pc.ft.GetType() || isUnsigned(cc.ft) != isUnsigned(pc.ft) ||
			cc.charset != pc.charset || normCollate(cc) != normCollate(pc) {
			c.add("fk-type-mismatch", fk.stmt, t.name,
				fmt.Sprintf("foreign key %s: %s %s does not match %s.%s %s", name, cc.name, describe(cc), parent.name, pc.name, describe(pc)), name)
		} else if sizeOf(cc.ft) != sizeOf(pc.ft) && !isCharType(cc.ft) {
			// tidb.md §4.1 [doc] also requires equal size/precision/length; the v8.5 source does
			// not check it, so it is a separate rule. String lengths may differ: MySQL documents
			// it ("the length of string types need not be the same") and tidb-server v8.5 accepts
			// VARCHAR(10) and VARCHAR(700) referencing VARCHAR(600) (measured, fixture key-primary-aligned).
			c.add("fk-type-size-mismatch", fk.stmt, t.name,
				fmt.Sprintf("foreign key %s: %s %s differs in size from %s.%s %s", name, cc.name, describe(cc), parent.name, pc.name, describe(pc)), name)
		}
	}
	// §4.1: the parent needs an index whose leading columns are the referenced ones (1822).
	if !hasLeadingIndex(parent, fk.refCols) {
		c.add("fk-parent-missing-index", fk.stmt, t.name,
			fmt.Sprintf("foreign key %s: %s has no index starting with (%s)", name, parent.name, strings.Join(fk.refCols, ", ")), name)
	}
}

// ---- type helpers ----

func isStringType(ft *types.FieldType) bool {
	switch ft.GetType() {
	case mysql.TypeString, mysql.TypeVarchar, mysql.TypeVarString, mysql.TypeBlob, mysql.TypeTinyBlob,
		mysql.TypeMediumBlob, mysql.TypeLongBlob, mysql.TypeEnum, mysql.TypeSet:
		return true
	}
	return false
}

func isBlobType(ft *types.FieldType) bool {
	switch ft.GetType() {
	case mysql.TypeBlob, mysql.TypeTinyBlob, mysql.TypeMediumBlob, mysql.TypeLongBlob:
		return true
	}
	return false
}

// isBlobLike: TEXT/BLOB (all sizes) and JSON.
func isBlobLike(ft *types.FieldType) bool { return isBlobType(ft) || ft.GetType() == mysql.TypeJSON }

// isCharType: CHAR, VARCHAR, BINARY and VARBINARY, whose lengths a foreign key may mismatch.
func isCharType(ft *types.FieldType) bool {
	switch ft.GetType() {
	case mysql.TypeVarchar, mysql.TypeVarString, mysql.TypeString:
		return true
	}
	return false
}

func isIntegerType(ft *types.FieldType) bool {
	switch ft.GetType() {
	case mysql.TypeTiny, mysql.TypeShort, mysql.TypeInt24, mysql.TypeLong, mysql.TypeLonglong:
		return true
	}
	return false
}

func isUnsigned(ft *types.FieldType) bool { return mysql.HasUnsignedFlag(ft.GetFlag()) }

func normCollate(c *column) string {
	if c.collate != "" {
		return c.collate
	}
	if !isStringType(c.ft) {
		return ""
	}
	if cs, err := charset.GetCharsetInfo(c.charset); err == nil {
		return cs.DefaultCollation
	}
	return ""
}

// sizeOf returns length/precision with parser "unspecified" (-1) normalised;
// integer display widths are ignored (deprecated, §1.1).
func sizeOf(ft *types.FieldType) string {
	if isIntegerType(ft) {
		return ""
	}
	flen, dec := ft.GetFlen(), ft.GetDecimal()
	if ft.GetType() == mysql.TypeNewDecimal {
		if flen < 0 {
			flen = 10
		}
		if dec < 0 {
			dec = 0
		}
	}
	if ft.GetType() == mysql.TypeString && flen < 0 {
		flen = 1
	}
	return fmt.Sprintf("%d,%d", flen, dec)
}

func typeName(ft *types.FieldType) string {
	return strings.ToUpper(types.TypeToStr(ft.GetType(), ft.GetCharset()))
}

func describe(c *column) string {
	s := c.ft.CompactStr()
	if c.charset != "" {
		s += " " + c.charset + "/" + normCollate(c)
	}
	return s
}

// keyPartBytes: bytes one index part takes in the key-length sum (§3.1):
// strings count chars × charset max bytes (utf8mb4 = 4), others their storage size.
func keyPartBytes(col *column, prefix int) int {
	ft := col.ft
	switch ft.GetType() {
	case mysql.TypeTiny, mysql.TypeYear:
		return 1
	case mysql.TypeShort:
		return 2
	case mysql.TypeInt24, mysql.TypeDate:
		return 3
	case mysql.TypeLong, mysql.TypeFloat:
		return 4
	case mysql.TypeLonglong, mysql.TypeDouble, mysql.TypeSet:
		return 8
	case mysql.TypeEnum:
		return 2
	case mysql.TypeBit:
		if ft.GetFlen() > 0 {
			return (ft.GetFlen() + 7) / 8
		}
		return 1
	case mysql.TypeDatetime:
		return 5 + (colFsp(ft)+1)/2
	case mysql.TypeTimestamp:
		return 4 + (colFsp(ft)+1)/2
	case mysql.TypeDuration:
		return 3 + (colFsp(ft)+1)/2
	case mysql.TypeNewDecimal:
		flen, dec := ft.GetFlen(), ft.GetDecimal()
		if flen < 0 {
			flen = 10
		}
		if dec < 0 {
			dec = 0
		}
		return decimalBytes(flen-dec) + decimalBytes(dec)
	case mysql.TypeString, mysql.TypeVarchar, mysql.TypeVarString, mysql.TypeBlob, mysql.TypeTinyBlob,
		mysql.TypeMediumBlob, mysql.TypeLongBlob:
		n := ft.GetFlen()
		if ft.GetType() == mysql.TypeString && n < 0 {
			n = 1
		}
		if prefix > 0 {
			n = prefix
		}
		if n < 0 {
			n = 0
		}
		return n * maxBytesPerChar(col.charset)
	}
	return 0
}

// decimalBytes: MySQL/TiDB packed decimal storage, 4 bytes per 9 digits.
func decimalBytes(digits int) int {
	left := [...]int{0, 1, 1, 2, 2, 3, 3, 4, 4, 4}
	return digits/9*4 + left[digits%9]
}

func maxBytesPerChar(cs string) int {
	if cs == "" {
		cs = "utf8mb4"
	}
	if info, err := charset.GetCharsetInfo(cs); err == nil {
		return info.Maxlen
	}
	return 4
}

// ---- AST helpers ----

func unparen(e ast.ExprNode) ast.ExprNode {
	for {
		p, ok := e.(*ast.ParenthesesExpr)
		if !ok {
			return e
		}
		e = p.Expr
	}
}

func stringValue(e ast.ExprNode) string {
	s, _ := isStringLit(e)
	return s
}

type visitFn struct{ f func(ast.Node) }

func (v *visitFn) Enter(n ast.Node) (ast.Node, bool) { v.f(n); return n, false }
func (v *visitFn) Leave(n ast.Node) (ast.Node, bool) { return n, true }

func funcCalls(e ast.ExprNode) []*ast.FuncCallExpr {
	var out []*ast.FuncCallExpr
	e.Accept(&visitFn{f: func(n ast.Node) {
		if fc, ok := n.(*ast.FuncCallExpr); ok {
			out = append(out, fc)
		}
	}})
	return out
}

type colCollector struct{ f func(string) }

func (v *colCollector) Enter(n ast.Node) (ast.Node, bool) {
	if cn, ok := n.(*ast.ColumnNameExpr); ok {
		v.f(cn.Name.Name.L)
	}
	return n, false
}
func (v *colCollector) Leave(n ast.Node) (ast.Node, bool) { return n, true }
