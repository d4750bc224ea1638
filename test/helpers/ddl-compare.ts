/**
 * Compares MySQL/TiDB DDL scripts by meaning: each script is reduced to a normalised description
 * of its databases, sequences, tables (columns, primary key, indexes, foreign keys, checks,
 * comment, options, partitioning), whatever statement shape produced them (inline KEY vs
 * CREATE INDEX, inline FOREIGN KEY vs ALTER TABLE ADD, UNIQUE KEY vs CONSTRAINT ... UNIQUE,
 * INTEGER vs INT, explicit vs implied NULL, quoted vs bare identifiers).
 *
 * Column definitions and foreign keys are parsed with node-sql-parser's MySQL grammar. What that
 * grammar cannot read is taken apart here first: TiDB's executable comments
 * (`/*T![auto_rand] AUTO_RANDOM(...) *\/`, `/*T![clustered_index] CLUSTERED *\/`), `NEXT VALUE FOR`,
 * CREATE SEQUENCE, PARTITION BY, and key parts mixing columns and expressions (compared as
 * normalised text: both sides print them from the same IR text).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Parser } = require('node-sql-parser/build/mysql') as { Parser: new () => SqlParser };

interface SqlParser {
  astify(sql: string): unknown;
  exprToSQL(expr: unknown): string;
}

const parser = new Parser();

export interface NormColumn {
  type: string;
  nullable: boolean;
  default?: string;
  onUpdate?: string;
  autoIncrement: boolean;
  autoRandom?: string;
  generated?: string;
  comment?: string;
}

export interface NormIndex {
  unique: boolean;
  parts: string[];
  comment?: string;
}

export interface NormForeignKey {
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface NormTable {
  columns: Record<string, NormColumn>;
  primaryKey?: { columns: string[]; clustered: string };
  indexes: Record<string, NormIndex>;
  foreignKeys: Record<string, NormForeignKey>;
  checks: Record<string, string>;
  comment?: string;
  autoIncrement?: string;
  partitioning?: string;
}

export interface NormSchema {
  databases: Record<string, { charset: string; collation: string }>;
  sequences: Record<string, string>;
  tables: Record<string, NormTable>;
}

// ------------------------------------------------------------------------------------------------
// Lexical helpers

/** Splits a script into statements at top-level `;`, dropping `--`/`#` comments and blank text. */
export function splitSql(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === '\\' && c !== '`') j += 2;
        else if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === c) break;
        else j++;
      }
      cur += sql.slice(i, j + 1);
      i = j + 1;
    } else if ((c === '-' && sql[i + 1] === '-' && /\s/.test(sql[i + 2] ?? ' ')) || c === '#') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      const end = j < 0 ? sql.length : j + 2;
      cur += sql.slice(i, end);
      i = end;
    } else if (c === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
      i++;
    } else {
      cur += c;
      i++;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Index of the parenthesis closing the one at `open`, skipping quoted text. */
function matchParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < s.length) {
        if (s[j] === '\\' && c !== '`') j += 2;
        else if (s[j] === c && s[j + 1] === c) j += 2;
        else if (s[j] === c) break;
        else j++;
      }
      i = j;
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unbalanced parentheses in: ${s.slice(open, open + 80)}`);
}

/** Splits at top-level commas. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < s.length) {
        if (s[j] === '\\' && c !== '`') j += 2;
        else if (s[j] === c && s[j + 1] === c) j += 2;
        else if (s[j] === c) break;
        else j++;
      }
      i = j;
    } else if (c === '/' && s[i + 1] === '*') {
      i = s.indexOf('*/', i + 2) + 1;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last) out.push(last);
  return out;
}

const IDENT = '(?:`(?:[^`]|``)+`|[\\p{L}\\p{N}_$]+)';
const QNAME = `${IDENT}(?:\\s*\\.\\s*${IDENT})?`;

function unq(s: string): string {
  s = s.trim();
  return s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s;
}

/** `db`.`t` or db.t -> "db.t" (names unquoted). */
function qn(s: string): string {
  const parts = s.match(new RegExp(IDENT, 'gu')) ?? [];
  return parts.map(unq).join('.');
}

function identList(s: string): string[] {
  return splitTop(s).map(unq);
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', Z: '\x1a', b: '\b' };

/** The value of a single-quoted MySQL string literal (default sql_mode: backslash escapes). */
function sqlStringValue(lit: string): string {
  const body = lit.trim().slice(1, -1);
  return body.replace(/''|\\([\s\S])/g, (m, ch?: string) => (m === "''" ? "'" : (ESCAPES[ch!] ?? ch!)));
}

/**
 * node-sql-parser decodes \n and \r in string values but leaves '' and the other escapes as
 * written; finish the job.
 */
function parserStringValue(v: string): string {
  return v.replace(/''|\\([\\'"0Zbt])/g, (m, ch?: string) => (m === "''" ? "'" : (ESCAPES[ch!] ?? ch!)));
}

/** Normalised expression text: no backticks, no whitespace variation, keywords upper-cased. */
export function normExpr(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < s.length) {
        if (s[j] === '\\') j += 2;
        else if (s[j] === c && s[j + 1] === c) j += 2;
        else if (s[j] === c) break;
        else j++;
      }
      out += s.slice(i, j + 1);
      i = j;
    } else if (c === '`') {
      const j = s.indexOf('`', i + 1);
      out += s.slice(i + 1, j).toLowerCase();
      i = j;
    } else if (/\s/.test(c)) {
      if (!/[\s(,]$/.test(out) && !/^\s*[),]/.test(s.slice(i))) out += ' ';
    } else out += c.toUpperCase();
  }
  return out.trim();
}

// ------------------------------------------------------------------------------------------------
// Statements

function emptyTable(): NormTable {
  return { columns: {}, indexes: {}, foreignKeys: {}, checks: {} };
}

const TYPE_ALIASES: Record<string, string> = {
  INTEGER: 'INT',
  BOOL: 'TINYINT(1)',
  BOOLEAN: 'TINYINT(1)',
  NUMERIC: 'DECIMAL',
  DEC: 'DECIMAL',
  REAL: 'DOUBLE',
};

interface ColumnAst {
  column: { column: string | { expr: { value: string } } };
  definition: { dataType: string; length?: number; scale?: number | null; suffix?: string[] | null; expr?: { value: { value: string }[] } };
  nullable?: { value: string };
  default_val?: { value: Record<string, unknown> & { over?: unknown } };
  auto_increment?: string;
  comment?: { value: { value: string } };
  generated?: { expr: unknown; storage_type?: string };
  character_set?: { value: { value: string } };
  collate?: { collate: { name: string } };
  reference_definition?: { on_action: { type: string; value: unknown }[] };
}

function normType(c: ColumnAst): string {
  const d = c.definition;
  let base = d.dataType.toUpperCase();
  let t = TYPE_ALIASES[base] ?? base;
  base = t.replace(/\(.*$/, '');
  if (base === 'ENUM' || base === 'SET') {
    t += `(${(d.expr?.value ?? []).map((v) => JSON.stringify(parserStringValue(v.value))).join(',')})`;
  } else if (!t.includes('(') && d.length !== undefined && d.length !== null) {
    t += d.scale !== undefined && d.scale !== null ? `(${d.length},${d.scale})` : `(${d.length})`;
  } else if (t === 'DECIMAL') {
    t = 'DECIMAL(10,0)'; // MySQL's implicit precision
  }
  if (d.suffix?.some((s) => s.toUpperCase() === 'UNSIGNED')) t += ' UNSIGNED';
  if (c.character_set) t += ` CHARACTER SET ${c.character_set.value.value.toLowerCase()}`;
  if (c.collate) t += ` COLLATE ${c.collate.collate.name.toLowerCase()}`;
  // TIME/DATETIME/TIMESTAMP(0) == bare.
  t = t.replace(/^(TIME|DATETIME|TIMESTAMP)\(0\)/, '$1');
  return t;
}

function exprSql(e: unknown): string {
  return normExpr(parser.exprToSQL(e));
}

function parseColumn(def: string): [string, NormColumn] {
  let autoRandom: string | undefined;
  let text = def.replace(/\/\*T!\[auto_rand\]\s*AUTO_RANDOM\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)\s*\*\//i, (_m, a: string, b?: string) => {
    autoRandom = b !== undefined ? `${a},${b}` : a;
    return ' ';
  });
  let nextval: string | undefined;
  text = text.replace(new RegExp(`NEXT\\s+VALUE\\s+FOR\\s+(${QNAME})`, 'iu'), (_m, n: string) => {
    nextval = `NEXTVAL(${qn(n)})`;
    return "'__nextval__'";
  });
  if (/\/\*/.test(text)) throw new Error(`unsupported comment in column definition: ${def}`);
  let ast: { create_definitions: ColumnAst[] };
  try {
    ast = parser.astify(`CREATE TABLE t (${text})`) as typeof ast;
  } catch (e) {
    throw new Error(`node-sql-parser cannot read column definition: ${def}\n${String((e as Error).message).slice(0, 200)}`);
  }
  const c = ast.create_definitions[0]!;
  const name = typeof c.column.column === 'string' ? c.column.column : c.column.column.expr.value;
  const col: NormColumn = {
    type: normType(c),
    nullable: c.nullable?.value !== 'not null',
    autoIncrement: c.auto_increment !== undefined,
  };
  if (autoRandom !== undefined) col.autoRandom = autoRandom;
  const dv = c.default_val?.value;
  if (dv) {
    const { over, ...rest } = dv;
    if (nextval) col.default = nextval;
    else if (rest['type'] === 'null') {
      /* DEFAULT NULL == no default on a nullable column */
    } else col.default = exprSql(rest);
    if (over && typeof over === 'object' && (over as { type?: string }).type === 'on update') {
      const o = over as { keyword: string; expr?: { value: { value: number }[] } };
      col.onUpdate = `${o.keyword.toUpperCase()}(${o.expr?.value.map((v) => v.value).join(',') ?? ''})`;
    }
  }
  for (const a of c.reference_definition?.on_action ?? []) {
    if (a.type === 'on update') col.onUpdate = exprSql(a.value);
  }
  if (col.onUpdate) col.onUpdate = col.onUpdate.replace(/^CURRENT_TIMESTAMP\(\)$/, 'CURRENT_TIMESTAMP').replace(/\(0\)$/, '');
  if (col.default) col.default = col.default.replace(/^CURRENT_TIMESTAMP\(0\)$/, 'CURRENT_TIMESTAMP').replace(/^CURRENT_TIMESTAMP\(\)$/, 'CURRENT_TIMESTAMP');
  if (c.generated) col.generated = `${exprSql(c.generated.expr)} ${(c.generated.storage_type ?? 'virtual').toUpperCase()}`;
  if (c.comment) col.comment = parserStringValue(c.comment.value.value);
  return [name, col];
}

function keyParts(s: string): string[] {
  return splitTop(s).map((p) => {
    const m = new RegExp(`^(${IDENT})\\s*(?:\\(\\s*(\\d+)\\s*\\))?\\s*(?:ASC|DESC)?$`, 'iu').exec(p.trim());
    if (m) return m[2] ? `${unq(m[1]!)}(${m[2]})` : unq(m[1]!);
    return normExpr(p);
  });
}

function parseForeignKey(text: string): NormForeignKey {
  const m = new RegExp(
    `^FOREIGN\\s+KEY\\s*(?:${IDENT}\\s*)?\\((.*?)\\)\\s*REFERENCES\\s+(${QNAME})\\s*\\((.*?)\\)(.*)$`,
    'isu',
  ).exec(text.trim());
  if (!m) throw new Error(`cannot read foreign key: ${text}`);
  const rest = m[4]!;
  const action = (kind: string) => {
    const a = new RegExp(`ON\\s+${kind}\\s+(RESTRICT|CASCADE|SET\\s+NULL|NO\\s+ACTION|SET\\s+DEFAULT)`, 'i').exec(rest);
    // RESTRICT, NO ACTION and no clause all mean the same in TiDB.
    const v = a ? a[1]!.toUpperCase().replace(/\s+/g, ' ') : 'NO ACTION';
    return v === 'RESTRICT' ? 'NO ACTION' : v;
  };
  // Cross-check with node-sql-parser that the clause is valid MySQL.
  parser.astify(`ALTER TABLE t ADD ${text}`);
  return {
    columns: identList(m[1]!),
    refTable: qn(m[2]!),
    refColumns: identList(m[3]!),
    onDelete: action('DELETE'),
    onUpdate: action('UPDATE'),
  };
}

function parseCreateTable(stmt: string, schema: NormSchema, ignore: Set<string>): void {
  const head = new RegExp(`^CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(${QNAME})\\s*\\(`, 'iu').exec(stmt);
  if (!head) throw new Error(`cannot read CREATE TABLE: ${stmt.slice(0, 100)}`);
  const name = qn(head[1]!);
  if (ignore.has(name.split('.').pop()!)) return;
  const open = head[0].length - 1;
  const close = matchParen(stmt, open);
  const t = emptyTable();
  for (let def of splitTop(stmt.slice(open + 1, close))) {
    let cname: string | undefined;
    const cm = new RegExp(`^CONSTRAINT\\s+(${IDENT})\\s+`, 'iu').exec(def);
    if (cm) {
      cname = unq(cm[1]!);
      def = def.slice(cm[0].length);
    }
    let m: RegExpExecArray | null;
    if ((m = /^PRIMARY\s+KEY\s*\((.*?)\)\s*(?:\/\*T!\[clustered_index\]\s*(CLUSTERED|NONCLUSTERED)\s*\*\/|(CLUSTERED|NONCLUSTERED))?\s*$/isu.exec(def))) {
      t.primaryKey = { columns: identList(m[1]!), clustered: (m[2] ?? m[3] ?? 'DEFAULT').toUpperCase() };
    } else if ((m = new RegExp(`^(UNIQUE\\s+(?:KEY|INDEX)?|KEY|INDEX)\\s*(${IDENT})?\\s*\\(`, 'iu').exec(def))) {
      const o = m[0].length - 1;
      const c = matchParen(def, o);
      const rest = def.slice(c + 1).trim();
      const ixName = m[2] ? unq(m[2]) : cname;
      if (!ixName) throw new Error(`unnamed index: ${def}`);
      const ix: NormIndex = { unique: /^UNIQUE/i.test(m[1]!), parts: keyParts(def.slice(o + 1, c)) };
      const com = /^COMMENT\s+('(?:[^'\\]|''|\\.)*')$/is.exec(rest);
      if (com) ix.comment = sqlStringValue(com[1]!);
      else if (rest) throw new Error(`unsupported index option: ${rest}`);
      t.indexes[ixName] = ix;
    } else if (/^FOREIGN\s+KEY/i.test(def)) {
      if (!cname) throw new Error(`unnamed foreign key: ${def}`);
      t.foreignKeys[cname] = parseForeignKey(def);
    } else if ((m = /^CHECK\s*\(/i.exec(def))) {
      const o = m[0].length - 1;
      const c = matchParen(def, o);
      t.checks[cname ?? `#${Object.keys(t.checks).length}`] = normExpr(def.slice(o + 1, c));
    } else {
      const [n, col] = parseColumn(def);
      t.columns[n] = col;
    }
  }
  // Table options and partitioning after the closing parenthesis.
  let opts = stmt.slice(close + 1);
  const part = /\bPARTITION\s+BY\s+([\s\S]*)$/i.exec(opts);
  if (part) {
    let p = part[1]!.trim();
    const count = /\s+PARTITIONS\s+(\d+)\s*$/i.exec(p);
    if (count) p = p.slice(0, count.index).trim() + ` PARTITIONS ${count[1]}`;
    t.partitioning = normExpr(p);
    opts = opts.slice(0, part.index);
  }
  const re = /(\w+)\s*=?\s*('(?:[^'\\]|''|\\.)*'|[\w.]+)/gy;
  let rest = opts.trim();
  while (rest) {
    re.lastIndex = 0;
    const m = re.exec(rest);
    if (!m) throw new Error(`cannot read table options: ${rest}`);
    const key = m[1]!.toUpperCase();
    if (key === 'COMMENT') t.comment = sqlStringValue(m[2]!);
    else if (key === 'AUTO_INCREMENT') t.autoIncrement = m[2]!;
    else throw new Error(`unsupported table option ${key}`);
    rest = rest.slice(m[0].length).replace(/^[\s,]+/, '');
  }
  schema.tables[name] = t;
}

function table(schema: NormSchema, name: string, stmt: string): NormTable {
  const t = schema.tables[name];
  if (!t) throw new Error(`statement refers to a table not created before it: ${stmt.slice(0, 100)}`);
  return t;
}

export function normaliseDdl(sql: string, opts: { ignoreTables?: string[] } = {}): NormSchema {
  const ignore = new Set(opts.ignoreTables ?? []);
  const schema: NormSchema = { databases: {}, sequences: {}, tables: {} };
  for (const stmt of splitSql(sql)) {
    let m: RegExpExecArray | null;
    if (/^CREATE\s+TABLE/i.test(stmt)) {
      parseCreateTable(stmt, schema, ignore);
    } else if ((m = new RegExp(`^CREATE\\s+DATABASE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})(.*)$`, 'isu').exec(stmt))) {
      parser.astify(stmt);
      const cs = /CHARACTER\s+SET\s*=?\s*(\w+)/i.exec(m[2]!);
      const co = /COLLATE\s*=?\s*(\w+)/i.exec(m[2]!);
      schema.databases[unq(m[1]!)] = { charset: cs?.[1]?.toLowerCase() ?? '', collation: co?.[1]?.toLowerCase() ?? '' };
    } else if ((m = new RegExp(`^CREATE\\s+SEQUENCE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(${QNAME})(.*)$`, 'isu').exec(stmt))) {
      schema.sequences[qn(m[1]!)] = normExpr(m[2]!);
    } else if (
      (m = new RegExp(`^CREATE\\s+(UNIQUE\\s+)?INDEX\\s+(${IDENT})\\s+ON\\s+(${QNAME})\\s*\\(`, 'iu').exec(stmt))
    ) {
      const name = qn(m[3]!);
      if (ignore.has(name.split('.').pop()!)) continue;
      const o = m[0].length - 1;
      const c = matchParen(stmt, o);
      const ix: NormIndex = { unique: !!m[1], parts: keyParts(stmt.slice(o + 1, c)) };
      const rest = stmt.slice(c + 1).trim();
      const com = /^COMMENT\s+('(?:[^'\\]|''|\\.)*')$/is.exec(rest);
      if (com) ix.comment = sqlStringValue(com[1]!);
      else if (rest) throw new Error(`unsupported index option: ${rest}`);
      table(schema, name, stmt).indexes[unq(m[2]!)] = ix;
    } else if (
      (m = new RegExp(`^ALTER\\s+TABLE\\s+(${QNAME})\\s+ADD\\s+CONSTRAINT\\s+(${IDENT})\\s+(FOREIGN\\s+KEY[\\s\\S]*)$`, 'iu').exec(stmt))
    ) {
      table(schema, qn(m[1]!), stmt).foreignKeys[unq(m[2]!)] = parseForeignKey(m[3]!);
    } else if (/^(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+`?alembic_version/i.test(stmt) && ignore.has('alembic_version')) {
      continue;
    } else if (/^(BEGIN|COMMIT|START\s+TRANSACTION)$/i.test(stmt)) {
      continue;
    } else {
      throw new Error(`unsupported statement: ${stmt.slice(0, 120)}`);
    }
  }
  return schema;
}

/** Paths where two normalised schemas differ (empty when they describe the same schema). */
export function diffSchemas(a: unknown, b: unknown, path = ''): string[] {
  if (a === b) return [];
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return [`${path || '<root>'}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`];
  }
  const out: string[] = [];
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  for (const k of new Set([...ka, ...kb])) {
    out.push(...diffSchemas((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`));
  }
  return out;
}
