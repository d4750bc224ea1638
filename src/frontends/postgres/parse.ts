import type { Node } from '@pgsql/types';
import { LineIndex, type SourceFile, type SourceSpan } from '../../diagnostics/span.js';
import { loadRawParser, type PlpgsqlParser, type RawParse, type RawParser } from './raw-parser.js';
import { splitStatements, type CopyData, type MetaLine, type RawStatement } from './split.js';

let loaded: Promise<void> | undefined;
let parseRaw: (RawParser & { readonly plpgsql: PlpgsqlParser }) | undefined;

/** Loads the WASM parser once per process. */
export function ensureParser(): Promise<void> {
  loaded ??= loadRawParser().then((p) => {
    parseRaw = p;
  });
  return loaded;
}

/** The loaded parser (SQL, and PL/pgSQL as `.plpgsql`), for statements a frontend finds inside others. */
export function parser(): RawParser & { readonly plpgsql: PlpgsqlParser } {
  if (!parseRaw) throw new Error('the PostgreSQL parser is not loaded: await ensureParser() first');
  return parseRaw;
}

/** Turns parser byte offsets inside one statement into spans of the original file. */
export class Locator {
  private byteToChar: Int32Array | undefined;
  private ascii: boolean | undefined;

  constructor(
    readonly lines: LineIndex,
    /** Offset of the statement in the file. */
    readonly base: number,
    readonly text: string,
    /** Byte offset of this statement in the text the parser saw (statements are parsed in chunks). */
    readonly byteBase = 0,
  ) {}

  /** Char offset in the statement for a parser byte offset. */
  charOffset(parserOffset: number): number {
    const byteOffset = parserOffset - this.byteBase;
    if (byteOffset <= 0) return 0;
    this.ascii ??= !NON_ASCII.test(this.text);
    if (this.ascii) return Math.min(byteOffset, this.text.length);
    if (!this.byteToChar) this.byteToChar = buildByteToChar(this.text);
    return this.byteToChar[Math.min(byteOffset, this.byteToChar.length - 1)]!;
  }

  /** A span from a byte offset to the end of that line (or of the statement). */
  at(byteOffset: number | undefined): SourceSpan {
    const start = byteOffset === undefined || byteOffset < 0 ? 0 : this.charOffset(byteOffset);
    if (start >= this.text.length) return this.lines.span(this.base + this.text.length, 0);
    let end = this.text.indexOf('\n', start);
    if (end === -1) end = this.text.length;
    return this.lines.span(this.base + start, Math.max(1, end - start));
  }

  /** A one-line span at a character offset (parser error cursors count characters). */
  atChar(charOffset: number): SourceSpan {
    const start = Math.max(0, Math.min(charOffset, this.text.length));
    let end = this.text.indexOf('\n', start);
    if (end === -1) end = this.text.length;
    return this.lines.span(this.base + start, Math.max(1, end - start));
  }

  statement(): SourceSpan {
    return this.lines.span(this.base, this.text.length);
  }

  /** The statement text from a byte offset up to an end byte offset (or the statement end). */
  slice(fromByte: number, toByte?: number): string {
    if (fromByte < 0) return this.text;
    const from = this.charOffset(fromByte);
    const to = toByte === undefined ? this.text.length : this.charOffset(toByte);
    return this.text.slice(from, to);
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

function buildByteToChar(text: string): Int32Array {
  const bytes = Buffer.byteLength(text, 'utf8');
  const map = new Int32Array(bytes + 1);
  let b = 0;
  for (let c = 0; c < text.length; c++) {
    const code = text.codePointAt(c)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < size; k++) map[b + k] = c;
    b += size;
    if (code >= 0x10000) c++;
  }
  map[bytes] = text.length;
  return map;
}

export interface ParsedStatement {
  readonly node: Node;
  readonly locator: Locator;
}

export interface StatementError {
  readonly message: string;
  readonly span: SourceSpan;
  /** Recovered: the statement was split where the next one began. */
  readonly missingSemicolon?: boolean;
}

/** A data statement recognised without parsing it: data is reported, never translated. */
export interface DataStatement {
  readonly label: string;
  readonly target?: string;
  readonly span: SourceSpan;
}

/** Statements parsed together per call: amortises the WASM round trip, keeps errors local. */
const CHUNK_CHARS = 256 * 1024;

/** One unit of parsing work, in file order. */
export type PlanStep =
  | { readonly kind: 'chunk'; readonly statements: readonly RawStatement[]; readonly texts: readonly string[] }
  | { readonly kind: 'error'; readonly error: StatementError };

/** A file split into statements and grouped into chunks, before any parsing. */
export interface FilePlan {
  readonly file: SourceFile;
  readonly lines: LineIndex;
  readonly data: DataStatement[];
  readonly metaLines: MetaLine[];
  readonly copyData: CopyData[];
  readonly steps: PlanStep[];
}

export function planFile(file: SourceFile): FilePlan {
  const lines = new LineIndex(file);
  const split = splitStatements(file.text);
  const steps: PlanStep[] = [];
  const data: DataStatement[] = [];

  let chunk: RawStatement[] = [];
  let chunkSize = 0;
  const flush = () => {
    if (chunk.length > 0) {
      steps.push({ kind: 'chunk', statements: chunk, texts: chunk.map((s) => file.text.slice(s.start, s.end)) });
    }
    chunk = [];
    chunkSize = 0;
  };
  for (const raw of split.statements) {
    if (!raw.terminated && raw.unterminated) {
      flush();
      steps.push({ kind: 'error', error: { message: unterminatedMessage(raw.unterminated), span: lines.span(raw.start, raw.end - raw.start) } });
      continue;
    }
    const insert = dataStatement(file.text, raw);
    if (insert) {
      data.push({ ...insert, span: lines.span(raw.start, Math.min(raw.end - raw.start, lineLength(file.text, raw.start))) });
      continue;
    }
    chunk.push(raw);
    chunkSize += raw.end - raw.start;
    if (chunkSize >= CHUNK_CHARS) flush();
  }
  flush();
  return { file, lines, data, metaLines: split.metaLines, copyData: split.copyData, steps };
}

/**
 * The text the parser sees for a chunk: its statements joined with ";\n", so that each one's byte
 * base in it is known. Built when needed, not kept: on large inputs the copies add up.
 */
export function chunkSql(step: PlanStep & { kind: 'chunk' }): string {
  return step.texts.length === 1 ? step.texts[0]! : step.texts.join(';\n');
}

/** The statements and errors of one step, given the parse of its SQL (done here when not given). */
export function resolveStep(plan: FilePlan, step: PlanStep, parsed?: RawParse): { statements: ParsedStatement[]; errors: StatementError[] } {
  const statements: ParsedStatement[] = [];
  const errors: StatementError[] = [];
  if (step.kind === 'error') {
    errors.push(step.error);
    return { statements, errors };
  }
  const { lines } = plan;
  const { statements: chunk, texts } = step;
  const result = parsed ?? parser()(chunkSql(step));
  if (chunk.length === 1) {
    if (result.ok) {
      const locator = new Locator(lines, chunk[0]!.start, texts[0]!);
      for (const s of treeOf(result).stmts ?? []) if (s.stmt) statements.push({ node: s.stmt, locator });
    } else {
      parseOne(lines, chunk[0]!.start, texts[0]!, statements, errors, 0);
    }
    return { statements, errors };
  }
  if (result.ok) {
    const stmts = treeOf(result).stmts ?? [];
    if (stmts.length === chunk.length) {
      let byteBase = 0;
      for (let k = 0; k < chunk.length; k++) {
        const text = texts[k]!;
        const node = stmts[k]!.stmt;
        if (node) statements.push({ node, locator: new Locator(lines, chunk[k]!.start, text, byteBase) });
        byteBase += Buffer.byteLength(text, 'utf8') + 2;
      }
      return { statements, errors };
    }
  }
  // Parse one by one to find the bad statement.
  for (let k = 0; k < chunk.length; k++) parseOne(lines, chunk[k]!.start, texts[k]!, statements, errors, 0);
  return { statements, errors };
}

function treeOf(parsed: { json: string }): { stmts?: { stmt?: Node }[] } {
  return JSON.parse(parsed.json) as { stmts?: { stmt?: Node }[] };
}

const QUALIFIED_NAME = String.raw`(?:"(?:[^"]|"")*"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[\w$]+))*`;
const INSERT_INTO = new RegExp(String.raw`insert\s+into\s+(${QUALIFIED_NAME})`, 'iy');

/**
 * `UPDATE t FOR PORTION OF p ...` / `DELETE FROM t FOR PORTION OF p ...` (temporal DML, newer than
 * the PostgreSQL 18 grammar libpg-query parses): data, recognised by its head so it is not a syntax error.
 */
const FOR_PORTION_OF = new RegExp(String.raw`(update|delete\s+from)\s+(?:only\s+)?(${QUALIFIED_NAME})(?:\s*\*)?(?:\s+(?:as\s+)?(?!for\b)[\w$]+)?\s+for\s+portion\s+of\b`, 'iy');

/** INSERT statements are data: parsing megabytes of VALUES would only be thrown away. */
function dataStatement(text: string, raw: RawStatement): { label: string; target?: string } | undefined {
  const c = text.charCodeAt(raw.start) | 0x20;
  if (c === 0x75 /* u */ || c === 0x64 /* d */) {
    FOR_PORTION_OF.lastIndex = raw.start;
    const m = FOR_PORTION_OF.exec(text);
    if (!m || m.index !== raw.start) return undefined;
    return { label: /^update/i.test(m[1]!) ? 'UPDATE' : 'DELETE', target: unquoteName(m[2]!) };
  }
  if (c !== 0x69 /* i */) return undefined;
  INSERT_INTO.lastIndex = raw.start;
  const m = INSERT_INTO.exec(text);
  if (!m || m.index !== raw.start) return undefined;
  return { label: 'INSERT', target: unquoteName(m[1]!) };
}

function unquoteName(name: string): string {
  return name
    .split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((part) => (part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part.toLowerCase()))
    .join('.');
}

function lineLength(text: string, from: number): number {
  const eol = text.indexOf('\n', from);
  return (eol === -1 ? text.length : eol) - from;
}

function unterminatedMessage(kind: NonNullable<RawStatement['unterminated']>): string {
  switch (kind) {
    case 'quote':
      return 'unterminated quoted string at end of input';
    case 'identifier':
      return 'unterminated quoted identifier at end of input';
    case 'dollar-quote':
      return 'unterminated dollar-quoted string at end of input';
    case 'comment':
      return 'unterminated /* comment at end of input';
  }
}

/** Keywords that begin a statement: an error at one of them, at a line start, means a missing `;`. */
const STATEMENT_START = /^(create|alter|drop|comment|insert|grant|revoke|set|select|copy|update|delete|begin|commit|do)\b/i;

function parseOne(lines: LineIndex, base: number, text: string, out: ParsedStatement[], errors: StatementError[], depth: number): void {
  const locator = new Locator(lines, base, text);
  const result = parser()(text);
  if (result.ok) {
    for (const s of treeOf(result).stmts ?? []) if (s.stmt) out.push({ node: s.stmt, locator });
    return;
  }
  const { message, cursorPosition: cursor } = result;
  if (cursor > 0 && depth < 50) {
    const at = Math.min(cursor, text.length);
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (text.slice(lineStart, at).trim() === '' && STATEMENT_START.test(text.slice(at))) {
      errors.push({ message: 'statement does not end with ";" before the next statement', span: locator.atChar(at), missingSemicolon: true });
      const head = text.slice(0, at).trimEnd();
      parseOne(lines, base, head, out, errors, depth + 1);
      parseOne(lines, base + at, text.slice(at), out, errors, depth + 1);
      return;
    }
  }
  const span = cursor >= 0 ? locator.atChar(cursor) : locator.statement();
  const psqlVariable = /:["']?[A-Za-z_]/.test(text) && /at or near ":/.test(message);
  errors.push({ message: psqlVariable ? `${message} (psql variable interpolation is not SQL)` : message, span });
}
