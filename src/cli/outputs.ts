import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TranslateResult } from '../translate.js';
import { renderOutputs, type EmitOptions } from '../outputs.js';

export const EMITTERS = ['tidb', 'alembic', 'sql-migrations', 'ts', 'sqlalchemy'] as const;
export type EmitterName = (typeof EMITTERS)[number];

/** Writes the generated files under `dir`; returns their relative paths. */
export async function writeOutputs(dir: string, result: TranslateResult, emit: readonly EmitterName[], options: Partial<EmitOptions> = {}): Promise<string[]> {
  const files = await renderOutputs(result, emit, options);
  for (const f of files) {
    const path = join(dir, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.content);
  }
  return files.map((f) => f.path);
}
