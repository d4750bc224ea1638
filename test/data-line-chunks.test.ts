// lineChunks (the reused read buffer of `pg2tidb data`) against the file it reads: whatever the
// buffer size, its chunks end at newlines, join to the file's bytes, and walkDump sees the lines
// and COPY rows a stream gives it.
import { mkdtempSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { lineChunks } from '../src/data/line-chunks.js';
import { DumpScanner, walkDump } from '../src/data/dump-reader.js';

const work = mkdtempSync(join(tmpdir(), 'pg2tidb-line-chunks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function chunksOf(file: string, size: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  // Copied: a chunk is only valid until the next one is asked for.
  for await (const c of lineChunks(file, size)) out.push(Buffer.from(c));
  return out;
}

/** What walkDump hands on: lines and row batches, joined (the batches' cuts depend on the chunks). */
async function walked(stream: AsyncIterable<Buffer | string>): Promise<{ lines: string[]; rows: string }> {
  const lines: string[] = [];
  let rows = '';
  const scanner = new DumpScanner(() => undefined);
  await walkDump(stream, scanner, (l) => { lines.push(l); scanner.line(l); }, (b, n) => { rows += Buffer.from(b).toString('latin1'); scanner.skipRows(n); });
  return { lines, rows };
}

const text = fc.array(fc.oneof(fc.constantFrom('\n', '\r\n', 'x', 'é', '東', ';', '\\.', 'COPY t (a) FROM stdin;\n', '\\.\n'), fc.string({ maxLength: 30 })), { maxLength: 60 }).map((xs) => xs.join(''));

describe('lineChunks', () => {
  it('chunks end at newlines and join to the file, for any buffer size', async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 1, max: 40 }), async (t, size) => {
        const file = join(work, `f${i++}.sql`);
        const bytes = Buffer.from(t);
        writeFileSync(file, bytes);
        const chunks = await chunksOf(file, size);
        expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
        for (const c of chunks.slice(0, -1)) expect(c[c.length - 1]).toBe(10);
        expect(chunks.every((c) => c.length > 0)).toBe(true);
        expect(await walked(lineChunks(file, size))).toEqual(await walked(createReadStream(file, { highWaterMark: 7 })));
      }),
      { numRuns: 200, seed: 23 },
    );
  });
  it('an empty file gives no chunk', async () => {
    const file = join(work, 'empty.sql');
    writeFileSync(file, '');
    expect(await chunksOf(file, 4)).toEqual([]);
  });
});
