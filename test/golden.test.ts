import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { translate, VERSION } from '../src/index.js';
import { renderOutputs, type OutputKind } from '../src/outputs.js';
import { GOLDEN, listFixtures } from './helpers/fixtures.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const IN_CI = process.env.CI === 'true';
const fixtures = listFixtures();

/** Outputs every golden case carries; emitters join this list as they land. */
export const GOLDEN_OUTPUTS: readonly OutputKind[] = ['tidb', 'alembic', 'sql-migrations', 'ts'];

/**
 * report.json names the pg2tidb version that wrote it (the generated files do not); goldens hold a
 * placeholder instead, so that a version bump does not change every golden.
 */
const VERSION_LINE = `\n  "version": ${JSON.stringify(VERSION)},\n`;
const VERSION_PLACEHOLDER = '\n  "version": "(pg2tidb version)",\n';
function comparable(path: string, content: string): string {
  if (path !== 'report.json') return content;
  expect(content, 'report.json names the pg2tidb version').toContain(VERSION_LINE);
  return content.replace(VERSION_LINE, VERSION_PLACEHOLDER);
}

/** Every file under a golden folder, as `/`-separated paths relative to it. */
function goldenFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1).split('\\').join('/'))
    .sort();
}

describe('golden fixtures', () => {
  it('are not rewritten under CI=true (UPDATE_GOLDEN is for a developer who then reviews the diff)', () => {
    expect(IN_CI && process.env.UPDATE_GOLDEN !== undefined, 'UPDATE_GOLDEN is set under CI=true').toBe(false);
  });

  it('has at least 30 cases', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it('has no golden folder without a fixture', () => {
    const names = new Set(fixtures.map((f) => f.name));
    const orphans = existsSync(GOLDEN) ? readdirSync(GOLDEN).filter((g) => !names.has(g)) : [];
    expect(orphans).toEqual([]);
  });

  for (const fixture of fixtures) {
    it(fixture.name, async () => {
      expect(fixture.files.length, `${fixture.name} has no input files`).toBeGreaterThan(0);
      const result = await translate(fixture.files, fixture.options);
      const files = await renderOutputs(result, GOLDEN_OUTPUTS);
      const dir = join(GOLDEN, fixture.name);
      const produced = new Set(files.map((f) => f.path));
      if (UPDATE && !IN_CI) {
        mkdirSync(dir, { recursive: true });
        for (const stale of goldenFiles(dir).filter((p) => !produced.has(p))) rmSync(join(dir, stale));
        for (const f of files) {
          mkdirSync(join(dir, f.path, '..'), { recursive: true });
          writeFileSync(join(dir, f.path), comparable(f.path, f.content));
        }
        return;
      }
      for (const f of files) {
        const path = join(dir, f.path);
        expect(existsSync(path), `missing golden ${path}; run UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts and review the diff`).toBe(true);
        expect(comparable(f.path, f.content), `${fixture.name}/${f.path} differs from its golden file`).toBe(readFileSync(path, 'utf8'));
      }
      // A file no output produces is stale or stray: it would pass for a golden nobody checks.
      expect(goldenFiles(dir).filter((p) => !produced.has(p)), `files in golden/${fixture.name} that no output produces`).toEqual([]);
    });
  }
});
