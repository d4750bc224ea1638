/** A place in one input file. Lines and columns are 1-based; columns count UTF-16 code units. */
export interface SourceSpan {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** Offset into the file text (UTF-16 code units) and length of the span. */
  readonly offset: number;
  readonly length: number;
}

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** Maps offsets to line/column for one file; built once per file. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly file: SourceFile) {
    const text = file.text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  span(offset: number, length: number): SourceSpan {
    const clamped = Math.max(0, Math.min(offset, this.file.text.length));
    const len = Math.max(0, Math.min(length, this.file.text.length - clamped));
    const start = this.position(clamped);
    const end = this.position(clamped + len);
    return {
      file: this.file.path,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      offset: clamped,
      length: len,
    };
  }

  lineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const next = this.starts[line];
    const end = next === undefined ? this.file.text.length : next - 1;
    return this.file.text.slice(start, end).replace(/\r$/, '');
  }
}
