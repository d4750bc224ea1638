/**
 * A file's bytes in chunks that end at a newline (the last one perhaps not), read into one
 * buffer that is reused: the part of a line past a chunk's end is moved to the front and the
 * next read goes after it. A stream would allocate a buffer per read and walkDump would join each
 * chunk with the line cut at its end (a copy of the whole input); this copies only those parts.
 * A chunk is valid until the consumer asks for the next one (walkDump finishes with it first).
 * Reads are synchronous: an asynchronous read left the main thread idle while a pool thread
 * copied the bytes (a sixth of a two-thread run), with nothing else for it to do meanwhile.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export async function* lineChunks(file: string, size: number): AsyncGenerator<Buffer> {
  const fd = openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(size);
    let have = 0;
    for (;;) {
      if (have === buf.length) {
        // A line longer than the buffer.
        const bigger = Buffer.allocUnsafe(2 * buf.length);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const bytesRead = readSync(fd, buf, have, buf.length - have, null);
      if (bytesRead === 0) {
        if (have > 0) yield buf.subarray(0, have);
        return;
      }
      have += bytesRead;
      const last = buf.lastIndexOf(10, have - 1);
      if (last === -1) continue;
      yield buf.subarray(0, last + 1);
      buf.copy(buf, 0, last + 1, have);
      have -= last + 1;
    }
  } finally {
    closeSync(fd);
  }
}
