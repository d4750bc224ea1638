import type { Writable } from 'node:stream';
import type { TranslateProgress } from '../translate.js';

/** Inputs above this size count as large: a single such file gets a progress line too. */
export const LARGE_INPUT_BYTES = 1024 * 1024;

/** Erase the terminal line and return to its start. */
const CLEAR_LINE = '\r\x1b[2K';

export interface ProgressLine {
  /** Shows how far the run has got (throttled; the last file is always shown). */
  update(progress: TranslateProgress): void;
  /** Erases the line, so that the summary that follows replaces it. */
  clear(): void;
}

/**
 * One live line on a terminal: files done/total, statements and statements per second, rewritten in
 * place at most every `intervalMs`. Only for TTYs: the caller decides whether to show it at all.
 */
export function progressLine(stream: Writable, options: { intervalMs?: number; now?: () => number } = {}): ProgressLine {
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? (() => Date.now());
  const started = now();
  let last: number | undefined;
  let shown = false;
  return {
    update(p) {
      const t = now();
      if (last !== undefined && t - last < intervalMs && p.filesDone < p.filesTotal) return;
      last = t;
      const seconds = Math.max((t - started) / 1000, 0.001);
      let text = `translating: ${p.filesDone}/${p.filesTotal} files, ${p.statements} statements, ${Math.round(p.statements / seconds)} statements/s${p.file ? `  ${p.file}` : ''}`;
      const columns = (stream as { columns?: number }).columns;
      if (columns !== undefined && columns > 1 && text.length > columns - 1) text = `${text.slice(0, columns - 2)}…`;
      stream.write(`${CLEAR_LINE}${text}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write(CLEAR_LINE);
      shown = false;
    },
  };
}
