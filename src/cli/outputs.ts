import type { TranslateResult } from '../translate.js';
import { renderOutputs, type EmitOptions } from '../outputs.js';
import { writeOutputs as writeFiles } from '../config/generate.js';

export const EMITTERS = ['tidb', 'alembic', 'sql-migrations', 'ts', 'sqlalchemy', 'report'] as const;
export type EmitterName = (typeof EMITTERS)[number];

/** Writes the generated files under `dir`; returns their relative paths. */
export async function writeOutputs(dir: string, result: TranslateResult, emit: readonly EmitterName[], options: Partial<EmitOptions> = {}): Promise<string[]> {
  return writeFiles(dir, await renderOutputs(result, emit, options));
}
