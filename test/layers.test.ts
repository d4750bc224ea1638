// The pipeline's layers (README "How it works"): frontends build the IR, the transform decides,
// backends print. Checked over the import graph of src/; also run by `npm run lint`.
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';
import { importCycles, importGraph, layerViolations, type LayerRule } from './helpers/import-graph.js';

const LAYERS: readonly LayerRule[] = [
  { from: 'src/ir/', forbidden: ['src/frontends/', 'src/transform/', 'src/backends/', 'src/config/', 'src/cli/'], why: 'the IR is the shared vocabulary, below every pass' },
  { from: 'src/sql/', forbidden: ['src/frontends/', 'src/transform/', 'src/backends/', 'src/config/', 'src/cli/'], why: 'SQL text helpers sit below the transform and the backends' },
  { from: 'src/frontends/', forbidden: ['src/transform/', 'src/backends/', 'src/config/', 'src/cli/'], why: 'frontends only build the IR; decisions are the transform’s' },
  { from: 'src/transform/', forbidden: ['src/frontends/', 'src/backends/', 'src/config/', 'src/cli/'], why: 'the transform reads the IR and decides; it neither parses nor prints' },
  {
    from: 'src/backends/',
    forbidden: ['src/frontends/', 'src/transform/', 'src/config/', 'src/cli/'],
    why: 'backends only print what the IR says',
    // The SQLAlchemy model rewrite edits the user's own Python files, so it parses them with the frontend's parser.
    except: ['src/backends/sqlalchemy-rewrite/ -> src/frontends/sqlalchemy/python.ts'],
  },
  { from: 'src/config/', forbidden: ['src/cli/'], why: 'config-driven runs (generate, explain) are a library; the CLI is built on them' },
];

describe('import layers', () => {
  const { graph, unresolved } = importGraph(ROOT);

  it('resolves every relative import in src/', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(unresolved).toEqual([]);
  });

  it('keeps each layer to what it may import', () => {
    expect(layerViolations(graph, LAYERS)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('finds a violation and a cycle where there is one', () => {
    const bad = new Map([
      ['src/transform/a.ts', ['src/backends/tidb/print.ts', 'src/transform/b.ts']],
      ['src/transform/b.ts', ['src/transform/c.ts']],
      ['src/transform/c.ts', ['src/transform/a.ts']],
      ['src/backends/tidb/print.ts', []],
      ['src/backends/sqlalchemy-rewrite/module.ts', ['src/frontends/sqlalchemy/python.ts', 'src/frontends/sqlalchemy/models.ts']],
    ]);
    expect(layerViolations(bad, LAYERS)).toEqual([
      'src/transform/a.ts imports src/backends/tidb/print.ts: the transform reads the IR and decides; it neither parses nor prints',
      'src/backends/sqlalchemy-rewrite/module.ts imports src/frontends/sqlalchemy/models.ts: backends only print what the IR says',
    ]);
    expect(importCycles(bad)).toEqual([['src/transform/a.ts', 'src/transform/b.ts', 'src/transform/c.ts']]);
  });
});
