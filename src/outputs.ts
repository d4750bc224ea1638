import type { TranslateResult } from './translate.js';

export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

export type OutputKind = 'tidb' | 'alembic' | 'sql-migrations' | 'ts';

/** The files a run produces, in memory (pure): tidb.sql and report.json always, plus the chosen emitters. */
export async function renderOutputs(result: TranslateResult, emit: readonly OutputKind[]): Promise<OutputFile[]> {
  const files: OutputFile[] = [
    { path: 'tidb.sql', content: result.sql },
    { path: 'report.json', content: `${JSON.stringify(result.report, null, 2)}\n` },
  ];
  return files.concat(await renderExtraOutputs(result, emit));
}

async function renderExtraOutputs(result: TranslateResult, emit: readonly OutputKind[]): Promise<OutputFile[]> {
  void result;
  void emit;
  return [];
}
