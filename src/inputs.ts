import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
// Reading the inputs a run names (files, folders, `-` for stdin): shared by the CLI and by
// config-driven runs (src/config/generate.ts), so it sits above both.
import type { Readable } from 'node:stream';
import type { SourceFile } from './diagnostics/span.js';

/** What reading inputs needs from its caller: where relative paths start, and stdin for `-`. */
export interface InputIo {
  readonly stdin: Readable;
  readonly cwd: string;
}

export class InputError extends Error {}

const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache', '.pytest_cache', 'site-packages', 'env', '.env', 'build', 'dist']);

/** A folder pg2tidb wrote: its report.json names the tool. Its migration.py / tidb.sql are outputs, not inputs. */
async function isOutputFolder(dir: string): Promise<boolean> {
  try {
    const head = (await readFile(join(dir, 'report.json'), 'utf8')).slice(0, 200);
    return /^\s*\{\s*"tool"\s*:\s*"pg2tidb"/.test(head);
  } catch {
    return false;
  }
}

async function walk(dir: string, out: string[], skip: { readonly exclude: ReadonlySet<string>; readonly skipped: string[] }): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name) || e.name.startsWith('.')) continue;
      const sub = join(dir, e.name);
      if (skip.exclude.has(resolve(sub)) || (await isOutputFolder(sub))) {
        skip.skipped.push(sub);
        continue;
      }
      await walk(sub, out, skip);
    } else if (e.isFile() && /\.(sql|py)$/i.test(e.name)) out.push(join(dir, e.name));
  }
}

/** The .sql and .py files under a folder, in a stable order, skipping what `readInputs` skips (tool folders, `exclude`, pg2tidb's own output folders). */
export async function inputFilesUnder(dir: string, exclude: readonly string[] = []): Promise<string[]> {
  const found: string[] = [];
  await walk(dir, found, { exclude: new Set(exclude.map((d) => resolve(d))), skipped: [] });
  return found;
}

function decode(buffer: Buffer): string {
  const text = buffer.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function readStdin(io: InputIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return decode(Buffer.concat(chunks));
}

/**
 * Reads the CLI's inputs in a stable order. Which folders are services of their own (one
 * database each) is decided by translate() from these paths (src/transform/services.ts).
 */
export async function readInputs(
  paths: readonly string[],
  io: InputIo,
  /** Folders never read as input (the -o folder); folders holding a pg2tidb report.json are skipped too. */
  exclude: readonly string[] = [],
): Promise<{ files: SourceFile[]; skipped: string[] }> {
  const files: SourceFile[] = [];
  const skip = { exclude: new Set(exclude.map((d) => resolve(io.cwd, d))), skipped: [] as string[] };
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
      await walk(full, found, skip);
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
  return { files, skipped: skip.skipped.map((d) => relative(io.cwd, d) || '.') };
}
