/**
 * Reads a plain-format dump as a stream, one line at a time, in constant memory (a COPY block is
 * never held whole): it yields each SQL statement with where it starts, and each COPY data row.
 * Statement boundaries follow psql: quotes, E'' strings, quoted identifiers, dollar quotes,
 * comments and backslash meta-command lines.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export type DumpEvent =
  | { readonly kind: 'statement'; readonly text: string; readonly line: number; readonly column: number; readonly endLine: number }
  | { readonly kind: 'meta'; readonly text: string; readonly line: number }
  /** A line of a COPY ... FROM stdin block, without its newline. */
  | { readonly kind: 'copy-row'; readonly text: string; readonly line: number }
  | { readonly kind: 'copy-end'; readonly line: number; readonly terminated: boolean };

/** The lines of a stream (without their newlines, a final unterminated line included), a chunk's worth at a time. */
export async function* readLineBatches(stream: Readable, onBytes?: (n: number) => void): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let first = true;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    onBytes?.(buf.length);
    let text = rest + decoder.write(buf);
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      lines.push(text.slice(start, end));
      start = nl + 1;
    }
    rest = text.slice(start);
    if (lines.length > 0) yield lines;
  }
  rest += decoder.end();
  if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
}

const COPY_FROM_STDIN = /^copy\b[\s\S]*\bfrom\s+stdin\b/i;

/** Scanner state carried from one line to the next. */
class StatementScanner {
  /** Text of the open statement from earlier lines. */
  text = '';
  active = false;
  startLine = 0;
  startColumn = 0;
  private quote: "'" | '"' | 'E' | undefined;
  private dollarTag: string | undefined;
  private blockDepth = 0;

  get inLiteral(): boolean {
    return this.quote !== undefined || this.dollarTag !== undefined || this.blockDepth > 0;
  }

  /** Feeds one line; returns the statements it completes (text without the `;`, where they start). */
  feed(line: string, lineNo: number): { text: string; line: number; column: number }[] {
    const done: { text: string; line: number; column: number }[] = [];
    let segStart = this.active ? 0 : -1;
    let i = 0;
    const n = line.length;
    while (i < n) {
      const c = line[i]!;
      if (this.blockDepth > 0) {
        if (c === '*' && line[i + 1] === '/') {
          this.blockDepth--;
          i += 2;
        } else if (c === '/' && line[i + 1] === '*') {
          this.blockDepth++;
          i += 2;
        } else i++;
        continue;
      }
      if (this.dollarTag !== undefined) {
        const end = line.indexOf(this.dollarTag, i);
        if (end === -1) i = n;
        else {
          i = end + this.dollarTag.length;
          this.dollarTag = undefined;
        }
        continue;
      }
      if (this.quote !== undefined) {
        if (this.quote === 'E' && c === '\\') {
          i += 2;
          continue;
        }
        const close = this.quote === '"' ? '"' : "'";
        if (c === close) {
          if (line[i + 1] === close) i += 2;
          else {
            this.quote = undefined;
            i++;
          }
        } else i++;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\f') {
        i++;
        continue;
      }
      if (c === '-' && line[i + 1] === '-') break;
      if (c === '/' && line[i + 1] === '*') {
        this.blockDepth = 1;
        i += 2;
        continue;
      }
      if (c === ';') {
        if (this.active) {
          const stmt = (this.text + line.slice(segStart, i)).trim();
          if (stmt !== '') done.push({ text: stmt, line: this.startLine, column: this.startColumn });
        }
        this.text = '';
        this.active = false;
        segStart = -1;
        i++;
        continue;
      }
      if (!this.active) {
        this.active = true;
        this.startLine = lineNo;
        this.startColumn = i + 1;
        segStart = i;
      }
      if (c === "'") {
        const prev = line[i - 1];
        this.quote = (prev === 'E' || prev === 'e') && !/[\w$]/.test(line[i - 2] ?? '') ? 'E' : "'";
        i++;
      } else if (c === '"') {
        this.quote = '"';
        i++;
      } else if (c === '$') {
        const m = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(line.slice(i, i + 64));
        if (m && !/[\w$]/.test(line[i - 1] ?? '')) {
          this.dollarTag = m[0];
          i += m[0].length;
        } else i++;
      } else i++;
    }
    if (this.active) this.text += `${line.slice(segStart)}\n`;
    return done;
  }
}

/** Turns lines into events, synchronously: a COPY row costs no promise. */
export class DumpScanner {
  private readonly scanner = new StatementScanner();
  private lineNo = 0;
  private copying = false;

  constructor(private readonly onEvent: (ev: DumpEvent) => void) {}

  line(line: string): void {
    const lineNo = ++this.lineNo;
    if (this.copying) {
      if (line === '\\.') {
        this.copying = false;
        this.onEvent({ kind: 'copy-end', line: lineNo, terminated: true });
      } else this.onEvent({ kind: 'copy-row', text: line, line: lineNo });
      return;
    }
    if (!this.scanner.active && !this.scanner.inLiteral && /^\s*\\/.test(line)) {
      this.onEvent({ kind: 'meta', text: line.trim(), line: lineNo });
      return;
    }
    for (const st of this.scanner.feed(line, lineNo)) {
      this.onEvent({ kind: 'statement', text: st.text, line: st.line, column: st.column, endLine: lineNo });
      if (COPY_FROM_STDIN.test(st.text)) this.copying = true;
    }
  }

  end(): void {
    if (this.copying) this.onEvent({ kind: 'copy-end', line: this.lineNo, terminated: false });
    if (this.scanner.active && this.scanner.text.trim() !== '') {
      this.onEvent({ kind: 'statement', text: this.scanner.text.trim(), line: this.scanner.startLine, column: this.scanner.startColumn, endLine: this.lineNo });
    }
  }
}

export function fileLines(path: string, onBytes?: (n: number) => void): AsyncGenerator<string[]> {
  return readLineBatches(createReadStream(path, { highWaterMark: 1 << 20 }), onBytes);
}
