import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SourceFile } from '../../src/diagnostics/span.js';
import type { TranslateOptions } from '../../src/transform/options.js';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const FIXTURES = join(ROOT, 'fixtures');
export const GOLDEN = join(ROOT, 'golden');
/** The shared corpus sits beside the repository, in CI as locally. */
export const CORPUS = join(ROOT, '..', 'shared', 'corpus');

export interface Fixture {
  readonly name: string;
  readonly dir: string;
  /** Input files with paths relative to the fixture folder, so reports do not depend on the machine. */
  readonly files: SourceFile[];
  readonly options: Partial<TranslateOptions> & { emit?: unknown };
}

function collect(dir: string, base: string, out: SourceFile[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== '__pycache__') collect(full, base, out);
    } else if (/\.(sql|py)$/.test(name)) {
      out.push({ path: relative(base, full), text: readFileSync(full, 'utf8') });
    }
  }
}

export function listFixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .sort()
    .filter((name) => statSync(join(FIXTURES, name)).isDirectory())
    .map((name) => {
      const dir = join(FIXTURES, name);
      const files: SourceFile[] = [];
      collect(dir, dir, files);
      const optionsPath = join(dir, 'options.json');
      const options = existsSync(optionsPath) ? JSON.parse(readFileSync(optionsPath, 'utf8')) : {};
      return { name, dir, files, options };
    });
}

export function corpusFiles(): string[] {
  const pg = readdirSync(join(CORPUS, 'pg')).filter((f) => f.endsWith('.sql')).sort().map((f) => join(CORPUS, 'pg', f));
  const pairs = readdirSync(join(CORPUS, 'pairs'))
    .sort()
    .filter((d) => existsSync(join(CORPUS, 'pairs', d, 'pg.sql')))
    .map((d) => join(CORPUS, 'pairs', d, 'pg.sql'));
  return [...pg, ...pairs];
}

export function readCorpus(path: string): SourceFile {
  return { path: relative(CORPUS, path), text: readFileSync(path, 'utf8') };
}
