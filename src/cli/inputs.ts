import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import type { SourceFile } from '../diagnostics/span.js';
import type { CliIo } from './main.js';

export class InputError extends Error {}

const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache', '.pytest_cache', 'site-packages', 'env', '.env', 'build', 'dist']);

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(join(dir, e.name), out);
    } else if (e.isFile() && /\.(sql|py)$/i.test(e.name)) out.push(join(dir, e.name));
  }
}

function decode(buffer: Buffer): string {
  const text = buffer.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return decode(Buffer.concat(chunks));
}

/**
 * Reads the CLI's inputs in a stable order. Which folders are services of their own (one
 * database each) is decided by translate() from these paths (src/transform/services.ts).
 */
export async function readInputs(paths: readonly string[], io: CliIo): Promise<{ files: SourceFile[] }> {
  const files: SourceFile[] = [];
  for (const p of paths) {
    if (p === '-') {
      files.push({ path: '<stdin>', text: await readStdin(io) });
      continue;
    }
    const full = resolve(io.cwd, p);
    let info;
    try {
      info = await stat(full);
    } catch {
      throw new InputError(`cannot read ${p}: no such file or directory`);
    }
    if (info.isDirectory()) {
      const found: string[] = [];
      await walk(full, found);
      if (found.length === 0) throw new InputError(`${p} contains no .sql or .py files`);
      for (const f of found) {
        // Paths outside the working directory are named from the folder given, so outputs stay inside -o.
        const fromCwd = relative(io.cwd, f);
        const rel = fromCwd && !fromCwd.startsWith('..') ? fromCwd : join(basename(full), relative(full, f));
        files.push({ path: rel, text: decode(await readFile(f)) });
      }
      continue;
    }
    try {
      files.push({ path: p, text: decode(await readFile(full)) });
    } catch (e) {
      throw new InputError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return { files };
}
