/** Directory walking for the SQLAlchemy frontend: `.py` files, recursively, skipping venvs and caches. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceFile } from '../../diagnostics/span.js';

const SKIP_DIRS = new Set([
  '__pycache__', '.git', '.hg', '.svn', '.venv', 'venv', 'env', '.env', '.tox', '.nox', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', 'node_modules', 'site-packages', 'build', 'dist', '.eggs', '.cache', '.idea', '.vscode',
]);

function skipDir(name: string): boolean {
  return SKIP_DIRS.has(name) || name.endsWith('.egg-info') || (name.startsWith('.') && name !== '.');
}

/** Reads the given files and every `.py` file below the given directories (sorted, deterministic). */
export async function collectPythonFiles(paths: string[]): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const seen = new Set<string>();
  const add = async (p: string): Promise<void> => {
    if (seen.has(p)) return;
    seen.add(p);
    out.push({ path: p, text: await readFile(p, 'utf8') });
  };
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!skipDir(e.name)) await walk(p);
      } else if (e.isFile() && e.name.endsWith('.py')) await add(p);
    }
  };
  for (const p of paths) {
    const st = await stat(p);
    if (st.isDirectory()) {
      // a virtualenv given directly is still skipped
      await walk(p);
    } else await add(p);
  }
  return out;
}
