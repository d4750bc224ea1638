/** Reads back the CSV chunks `pg2tidb data` writes (csv.ts CSV_DIALECT), streaming: rows of raw field bytes, NULL as null. */
import { createReadStream } from 'node:fs';

const UNESCAPE: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x30: 0x00 };

export async function* readChunkRows(file: string): AsyncGenerator<(Buffer | null)[][]> {
  let row: (Buffer | null)[] = [];
  let field: number[] = [];
  let inQuotes = false;
  let escaped = false;
  let bareNull = 0; // 1 after a leading backslash of \N outside quotes
  let rows: (Buffer | null)[][] = [];
  for await (const chunk of createReadStream(file)) {
    const buf = chunk as Buffer;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (inQuotes) {
        if (escaped) {
          field.push(UNESCAPE[b] ?? b);
          escaped = false;
        } else if (b === 0x5c) escaped = true;
        else if (b === 0x22) {
          inQuotes = false;
          row.push(Buffer.from(field));
          field = [];
        } else field.push(b);
        continue;
      }
      if (b === 0x22) inQuotes = true;
      else if (b === 0x5c) bareNull = 1;
      else if (b === 0x4e && bareNull === 1) {
        row.push(null);
        bareNull = 0;
      } else if (b === 0x0a) {
        rows.push(row);
        row = [];
        if (rows.length >= 1024) {
          yield rows;
          rows = [];
        }
      }
      // ',' between fields needs nothing: each field was pushed when it closed.
    }
  }
  if (row.length > 0) rows.push(row);
  if (rows.length > 0) yield rows;
}
