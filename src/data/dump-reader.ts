/**
 * Reads a plain-format dump as a stream, one line at a time, in constant memory (a COPY block is
 * never held whole): it yields each SQL statement with where it starts, and each COPY data row.
 * Statement boundaries follow psql: quotes, E'' strings, quoted identifiers, dollar quotes,
 * comments and backslash meta-command lines.
 */
import { isUtf8 } from 'node:buffer';

export type DumpEvent =
  | { readonly kind: 'statement'; readonly text: string; readonly line: number; readonly column: number; readonly endLine: number }
  | { readonly kind: 'meta'; readonly text: string; readonly line: number }
  /** A line of a COPY ... FROM stdin block, without its newline. */
  | { readonly kind: 'copy-row'; readonly text: string; readonly line: number }
  | { readonly kind: 'copy-end'; readonly line: number; readonly terminated: boolean };

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
  private inCopy = false;

  constructor(private readonly onEvent: (ev: DumpEvent) => void) {}

  /** Inside a COPY ... FROM stdin block: the next lines are rows (walkDump hands them on as bytes). */
  get copying(): boolean {
    return this.inCopy;
  }

  /** Counts rows the caller took as bytes, so line numbers stay those of the input. */
  skipRows(n: number): void {
    this.lineNo += n;
  }

  /** Lines read so far. */
  get lines(): number {
    return this.lineNo;
  }

  line(line: string): void {
    const lineNo = ++this.lineNo;
    if (this.inCopy) {
      if (line === '\\.') {
        this.inCopy = false;
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
      if (COPY_FROM_STDIN.test(st.text)) this.inCopy = true;
    }
  }

  end(): void {
    if (this.inCopy) this.onEvent({ kind: 'copy-end', line: this.lineNo, terminated: false });
    if (this.scanner.active && this.scanner.text.trim() !== '') {
      this.onEvent({ kind: 'statement', text: this.scanner.text.trim(), line: this.scanner.startLine, column: this.scanner.startColumn, endLine: this.lineNo });
    }
  }
}


/**
 * A dump's bytes in constant memory, split into lines: a line outside COPY blocks is decoded and
 * given to `line` (without its newline or a `\r` before it); the rows of
 * a COPY block (the scanner says when one is open) are given to `rows` as bytes, whole lines, a
 * read chunk's worth at a time, with where each ends, and `\.` ends the block as a line. Invalid
 * UTF-8 becomes U+FFFD as when decoding, and a leading byte order mark is dropped. `validate` off: rows are handed on
 * unchecked, for a reader that only skips them (decoding a line replaces invalid bytes the same
 * way, and never moves a newline). `rows` also gets where its bytes start in the stream, when they
 * are the stream's bytes as they were (not where invalid UTF-8 was replaced).
 */
export async function walkDump(stream: AsyncIterable<Buffer | string>, scanner: DumpScanner, line: (text: string) => void | Promise<void>, rows: (bytes: Uint8Array, count: number, lineEnds: Int32Array, at: number | undefined) => void | Promise<void>, onBytes?: (n: number) => void, validate = true): Promise<void> {
  const checked = validate ? validUtf8 : (b: Buffer) => b;
  // Where each row handed to `rows` ends (its newline, or the end), from the rows' start: reused, valid during the call.
  let lineEnds = new Int32Array(1024);
  let rest: Buffer[] = [];
  let restBytes = 0;
  let first = true;
  /** Bytes of the stream before the chunk being read. */
  let streamPos = 0;
  // bufAt: where buf starts in the stream, or undefined when its bytes are not the stream's.
  const lines = async (buf: Buffer, bufAt: number | undefined): Promise<void> => {
    const n = buf.length;
    let pos = 0;
    while (pos < n) {
      if (scanner.copying) {
        // Rows up to the block's end or the buffer's.
        const start = pos;
        let count = 0;
        let endOfBlock = false;
        while (pos < n) {
          if (buf[pos] === 0x5c && buf[pos + 1] === 0x2e) {
            const after = pos + 2;
            if (after === n || buf[after] === 10 || (buf[after] === 13 && (after + 1 === n || buf[after + 1] === 10))) {
              endOfBlock = true;
              break;
            }
          }
          const nl = buf.indexOf(10, pos);
          pos = nl === -1 ? n : nl + 1;
          if (count === lineEnds.length) {
            const more = new Int32Array(2 * count);
            more.set(lineEnds);
            lineEnds = more;
          }
          lineEnds[count++] = (nl === -1 ? n : nl) - start;
        }
        if (count > 0) {
          const r = rows(buf.subarray(start, pos), count, lineEnds.subarray(0, count), bufAt === undefined ? undefined : bufAt + start);
          if (r) await r;
        }
        if (!endOfBlock) continue;
      }
      const nl = buf.indexOf(10, pos);
      const next = nl === -1 ? n : nl + 1;
      let end = nl === -1 ? n : nl;
      if (end > pos && buf[end - 1] === 13) end--;
      const text = buf.toString('utf8', pos, end);
      pos = next;
      const r = line(text);
      if (r) await r;
    }
  };
  const read = async (buf: Buffer, at: number): Promise<void> => {
    const bytes = checked(buf);
    await lines(bytes, bytes === buf ? at : undefined);
  };
  for await (const chunk of stream) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    onBytes?.(buf.length);
    let at = streamPos;
    streamPos += buf.length;
    if (first) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3);
        at += 3;
      }
    }
    const last = buf.lastIndexOf(10);
    if (last === -1) {
      // A line longer than a chunk: its parts are joined once its end arrives.
      rest.push(buf);
      restBytes += buf.length;
      continue;
    }
    if (rest.length > 0) {
      buf = Buffer.concat([...rest, buf]);
      at -= restBytes;
      rest = [];
      restBytes = 0;
    }
    const end = buf.lastIndexOf(10);
    if (end + 1 < buf.length) {
      rest.push(buf.subarray(end + 1));
      restBytes = buf.length - end - 1;
    }
    await read(buf.subarray(0, end + 1), at);
  }
  if (rest.length > 0) await read(Buffer.concat(rest), streamPos - restBytes);
}

/** Invalid UTF-8 replaced by U+FFFD, as decoding and re-encoding does (and the string path sees). */
function validUtf8(buf: Buffer): Buffer {
  return isUtf8(buf) ? buf : Buffer.from(buf.toString('utf8'), 'utf8');
}
